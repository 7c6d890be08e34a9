// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_COMMON_DIR_WALK_H_
#define MODRACE_COMMON_DIR_WALK_H_

// Directory listing and the tree walk built on it: for a scan (start-up,
// rescan after an overflow, a directory moved in) and for the audit of a
// built tree. Never follows a symlink (O_NOFOLLOW, lstat types), never
// leaves the tree. Sources that need no per-directory watch (fanotify) walk
// with WalkTree; the inotify source adds a watch per directory and lists it
// with ListDir.

#include <functional>
#include <string>

namespace modrace {

enum class WalkType { kDir, kFile, kOther };  // kOther: symlinks, FIFOs, ...

// Opens the directory `path` for listing (O_DIRECTORY | O_NOFOLLOW |
// O_CLOEXEC). Returns the fd, or -1 with errno set (a symlink: ENOTDIR).
int OpenDirNoFollow(const std::string& path);

// Calls visit(name, type) for each entry of the open directory `dfd` but "."
// and "..", and takes ownership of `dfd` (closed before returning, also on
// failure). Returns false when it could not be listed.
bool ListDir(int dfd, const std::function<void(const char* name, WalkType type)>& visit);

// Calls visit(rel, type) for everything below root/start (not for start
// itself), `rel` relative to root ('/'-separated). Directories that vanish
// or cannot be opened are skipped. Returns the number of directories that
// could not be opened for a reason other than vanishing.
size_t WalkTree(const std::string& root, const std::string& start,
                const std::function<void(const std::string& rel, WalkType type)>& visit);

}  // namespace modrace

#endif  // MODRACE_COMMON_DIR_WALK_H_

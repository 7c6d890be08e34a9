#ifndef MODRACE_DAEMON_TREE_WALK_H_
#define MODRACE_DAEMON_TREE_WALK_H_

// WalkTree: lists a tree for a scan (start-up, rescan after an overflow, a
// directory moved in). Depth first, never following symlinks, never leaving
// the tree. Sources that need no per-directory watch (fanotify) use it as
// is; the inotify source interleaves its own listing with adding watches.

#include <functional>
#include <string>

namespace modrace {

enum class WalkType { kDir, kFile, kOther };  // kOther: symlinks, FIFOs, ...

// Calls visit(rel, type) for everything below root/start (not for start
// itself), `rel` relative to root ('/'-separated). Directories that vanish
// or cannot be opened are skipped. Returns the number of directories that
// could not be opened for a reason other than vanishing.
size_t WalkTree(const std::string& root, const std::string& start,
                const std::function<void(const std::string& rel, WalkType type)>& visit);

}  // namespace modrace

#endif  // MODRACE_DAEMON_TREE_WALK_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_SOCKET_PATH_H_
#define MODRACE_DAEMON_SOCKET_PATH_H_

// Where a tree's daemon listens (docs/architecture.md, Daemon behaviour): a 0700
// directory of the user ($XDG_RUNTIME_DIR/modrace/ or /tmp/modrace-$UID/),
// one socket per tree named after the root's device and inode, so every
// spelling of a path to the tree finds the same daemon. Shared by the daemon
// and its clients.

#include <string>

namespace modrace {

// $XDG_RUNTIME_DIR/modrace when XDG_RUNTIME_DIR is set and absolute, else
// /tmp/modrace-<uid>.
std::string SocketDir();

// SocketDir() + "/<dev>-<ino>.sock" for the directory `root`. Returns
// false with *error when root cannot be stat'ed or is not a directory.
bool SocketPathForTree(const std::string& root, std::string* path, std::string* error);

// Creates `dir` (mode 0700) when missing; refuses a directory that is not
// ours, is a symlink, or is open to others (fixing only our own mode).
bool EnsurePrivateDir(const std::string& dir, std::string* error);

// sockaddr_un's limit on a path (107 bytes on Linux).
bool SocketPathFits(const std::string& path);

}  // namespace modrace

#endif  // MODRACE_DAEMON_SOCKET_PATH_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_COMMON_FILE_KIND_H_
#define MODRACE_COMMON_FILE_KIND_H_

// What a path names, following symlinks as make and the kernel's build do
// (stat, realpath). For walking a tree without following them, see
// dir_walk.h.

#include <string>

namespace modrace {

bool IsRegularFile(const std::string& path);
bool IsDirectory(const std::string& path);
// The canonical absolute path (realpath), or "" when it cannot be resolved.
std::string RealPath(const std::string& path);

}  // namespace modrace

#endif  // MODRACE_COMMON_FILE_KIND_H_

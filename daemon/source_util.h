// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_SOURCE_UTIL_H_
#define MODRACE_DAEMON_SOURCE_UTIL_H_

// Small helpers both event sources need.

#include <string>
#include <string_view>

namespace modrace {

// The first integer in a /proc file, or -1 when it cannot be read.
long ReadProcLong(const char* path);
// `abs` relative to `root` ("" for the root itself) when it lies inside
// it. Both absolute, without a trailing '/' (but "/").
bool RelativeTo(const std::string& root, const std::string& abs, std::string* rel);
// "dir/name", or "name" when dir is empty (the root).
std::string Join(const std::string& dir, std::string_view name);

}  // namespace modrace

#endif  // MODRACE_DAEMON_SOURCE_UTIL_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_SOURCE_UTIL_H_
#define MODRACE_DAEMON_SOURCE_UTIL_H_

// Small helpers both event sources need.

#include <string>
#include <string_view>

namespace modrace {

// The first integer in a /proc file, or -1 when it cannot be read.
long ReadProcLong(const char* path);
// "dir/name", or "name" when dir is empty (the root).
std::string Join(const std::string& dir, std::string_view name);

}  // namespace modrace

#endif  // MODRACE_DAEMON_SOURCE_UTIL_H_

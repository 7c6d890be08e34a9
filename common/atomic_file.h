// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_ATOMIC_FILE_H_
#define MODRACE_DAEMON_ATOMIC_FILE_H_

// Writes a whole file or nothing: a temporary file in the same directory,
// fsync, rename over the target, fsync of the directory. A reader (or a
// daemon killed with SIGKILL at any moment) sees the old file or the new
// one, never a partial one.

#include <string>
#include <string_view>

namespace modrace {

bool WriteFileAtomically(const std::string& path, std::string_view contents, std::string* error);

}  // namespace modrace

#endif  // MODRACE_DAEMON_ATOMIC_FILE_H_

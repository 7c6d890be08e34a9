// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_EXIT_CODES_H_
#define MODRACE_CLIENT_EXIT_CODES_H_

namespace modrace {

// The client's exit codes (docs/architecture.md, Client).
inline constexpr int kExitClean = 0;     // no finding at or above --fail-on
inline constexpr int kExitFindings = 1;  // findings at or above --fail-on
inline constexpr int kExitUsage = 2;     // bad usage or bad input
inline constexpr int kExitWatcher = 3;   // the watcher could not run

// `run` and `repro` wrap a build, whose own status (make's error is 2)
// passes through; so, like timeout(1) and env(1), they report their own
// failures with codes a build does not return by accident:
inline constexpr int kExitWrapperFailed = 125;  // bad usage, the watcher could not run,
                                                // an output it cannot write
inline constexpr int kExitCannotExecute = 126;  // the build command is not executable
inline constexpr int kExitNotFound = 127;       // the build command was not found

}  // namespace modrace

#endif  // MODRACE_CLIENT_EXIT_CODES_H_

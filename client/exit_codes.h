#ifndef MODRACE_CLIENT_EXIT_CODES_H_
#define MODRACE_CLIENT_EXIT_CODES_H_

namespace modrace {

// The client's exit codes (docs/architecture.md, Client). `run` and `repro` return the
// build's own status instead when the build failed.
inline constexpr int kExitClean = 0;     // no finding at or above --fail-on
inline constexpr int kExitFindings = 1;  // findings at or above --fail-on
inline constexpr int kExitUsage = 2;     // bad usage or bad input
inline constexpr int kExitWatcher = 3;   // the watcher could not run

}  // namespace modrace

#endif  // MODRACE_CLIENT_EXIT_CODES_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_FOREGROUND_COMMAND_H_
#define MODRACE_CLIENT_FOREGROUND_COMMAND_H_

// Runs the user's build (`run -- CMD`, `repro -- CMD`) the way a shell
// would: the terminal's stdin, stdout and stderr, in its own process group.
// That group gets the terminal when modrace holds it (so Ctrl-C and reads
// reach the build directly); SIGINT, SIGTERM and SIGHUP sent to modrace are
// forwarded to the whole group, so `make -j` and all its jobs stop; so is
// SIGQUIT.

#include <functional>
#include <string>
#include <vector>

namespace modrace {

struct ForegroundResult {
  bool started = false;  // false: fork or exec failed (error says why)
  // Exit code; 128+N when killed by signal N. When not started: 127 when
  // the command was not found, else 126 (as a shell and env(1) say).
  int status = 0;
  std::string error;
  // The first of SIGINT, SIGTERM, SIGHUP, SIGQUIT sent to modrace while the
  // command ran (forwarded to its group); 0: none. The wrapper then exits
  // 128+N, as timeout(1) does.
  int signal_received = 0;
};

// "SIGTERM" for 15.
std::string SignalName(int sig);

// Runs argv[0] (searched on PATH) with argv. While it runs, calls `on_tick`
// every `tick_ms` ms (when tick_ms > 0 and on_tick is set): the progress
// display's hook. Returns once the command has exited.
ForegroundResult RunForegroundCommand(const std::vector<std::string>& argv, int tick_ms,
                                      const std::function<void()>& on_tick);

// RunForegroundCommand of {"/bin/sh", "-c", script}.
ForegroundResult RunShellCommand(const std::string& script);

// "exit 2", "killed by signal 9 (SIGKILL)" for a ForegroundResult's status.
std::string DescribeStatus(int status);

// "build succeeded", "build failed (exit 2)", "build killed by signal 9
// (SIGKILL)", "build did not start (exit 127)": the build half of the
// last line `run` and `repro` print.
std::string DescribeBuild(const ForegroundResult& build);

}  // namespace modrace

#endif  // MODRACE_CLIENT_FOREGROUND_COMMAND_H_

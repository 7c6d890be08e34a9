// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_DAEMON_LAUNCHER_H_
#define MODRACE_CLIENT_DAEMON_LAUNCHER_H_

// Starts modraced detached from the client (its own session, cwd "/",
// stdin and stdout on /dev/null) and returns only once it is ready: every
// watch is in place, so a build started after LaunchDaemon() returns is
// fully seen (docs/architecture.md, Daemon behaviour). Readiness comes through a pipe
// given to modraced as --ready-fd; its stderr comes through another pipe
// until then, so a daemon that cannot run is reported in its own words.

#include <sys/types.h>

#include <string>

namespace modrace {

struct LaunchOptions {
  std::string root;         // the tree (any spelling; made absolute here)
  std::string socket_path;  // "" = modraced's default for the tree
  std::string backend = "auto";
  std::string report_path;  // "" = none; made absolute here
  std::string record_path;  // "" = none; made absolute here
  // The pid whose children are the build (`run`, `repro`): no process
  // above them is ever named (modraced --build-parent). 0: none.
  pid_t build_parent = 0;
  // The daemon gets SIGTERM (it writes its report and exits) when this
  // process dies, however it dies (PR_SET_PDEATHSIG): `run` and `repro`
  // killed by SIGKILL leave no daemon, and no fanotify mark, behind.
  bool die_with_parent = false;
  int ready_timeout_ms = 300000;  // a huge tree takes a while to watch
};

struct LaunchedDaemon {
  pid_t pid = -1;
  std::string socket_path;  // from modraced's ready line
};

// Where modraced is: $MODRACED when set (it must then be executable), else
// beside /proc/self/exe, else ../daemon/modraced relative to it (the
// bazel-bin layout), else the first on $PATH. False with *error when none.
bool FindModraced(std::string* path, std::string* error);

// Returns 0 once modraced is ready (filling *daemon), else the client's exit
// code with *error: 2 when modraced rejected its input (a missing tree, an
// unwritable --report), 3 when it could not run or watch. *error then holds
// modraced's own stderr.
int LaunchDaemon(const LaunchOptions& options, LaunchedDaemon* daemon, std::string* error);

// Waits up to `timeout_ms` for the child `pid` to exit; SIGKILLs it after
// that. Returns its wait status.
int ReapWithin(pid_t pid, int timeout_ms);

// Absolute form of `path` (relative to the current directory), without
// resolving symlinks; "" stays "".
std::string AbsolutePath(const std::string& path);

}  // namespace modrace

#endif  // MODRACE_CLIENT_DAEMON_LAUNCHER_H_

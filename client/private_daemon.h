// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_PRIVATE_DAEMON_H_
#define MODRACE_CLIENT_PRIVATE_DAEMON_H_

// The daemon `run` and `repro` start for themselves: a child of this
// process, stopped and reaped before the command returns, and dead with
// this process however it dies (LaunchOptions::die_with_parent). It listens
// on PrivateSocketPath(getpid()) in the user's socket directory
// (common/socket_path.h): never the tree's usual socket, so it neither
// collides with nor disturbs a user's `modrace start` daemon, and `status
// --all` lists it while it runs.

#include <sys/types.h>

#include <string>

#include <nlohmann/json.hpp>

#include "client/daemon_launcher.h"
#include "common/daemon_client.h"
#include "proto/report.h"

namespace modrace {

// SocketDir()/run-PID.sock: the socket of the private daemon of client PID.
std::string PrivateSocketPath(pid_t client);

class PrivateDaemon {
 public:
  PrivateDaemon() = default;
  // Stop()s a daemon still running and removes the temp directory.
  ~PrivateDaemon();
  PrivateDaemon(const PrivateDaemon&) = delete;
  PrivateDaemon& operator=(const PrivateDaemon&) = delete;

  // Launches modraced (options.socket_path is replaced) and connects.
  // Returns 0 once ready, else LaunchDaemon's exit code with *error.
  int Start(LaunchOptions options, std::string* error);

  // Barrier, then the report: everything written before the call is in it.
  bool SettledReport(Report* report, std::string* error);
  // Returns once everything written before the call is analyzed.
  bool Settle(std::string* error);
  // Forgets findings and coverage: the next build starts clean.
  bool Reset(std::string* error);
  // The daemon's `status` result.
  bool Status(nlohmann::json* status, std::string* error);

  // Asks it to shut down (it then writes its --report file) and waits for
  // it to exit; SIGKILL after 30 s. Idempotent.
  void Stop();

 private:
  std::string socket_path_;
  std::string fallback_dir_;  // the /tmp directory of the socket, when used
  LaunchedDaemon daemon_;
  DaemonClient client_;
};

}  // namespace modrace

#endif  // MODRACE_CLIENT_PRIVATE_DAEMON_H_

// SPDX-License-Identifier: GPL-2.0-only
// modrace stop: asks the tree's daemon to flush its report and exit, and
// returns once it has (its socket is gone and the process has exited), so
// the report file is whole when the next step of a script reads it.

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <string>

#include "client/commands.h"
#include "client/daemon_connection.h"
#include "client/format/display_text.h"
#include "client/exit_codes.h"
#include "common/clock.h"

namespace modrace {

namespace {

constexpr int kStopTimeoutMs = 30000;

// Gone, or a zombie its parent has not reaped yet: either way it has
// exited. The pid is the daemon's own, read from `status` over its socket.
bool Exited(pid_t pid) {
  if (pid <= 0) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return kill(pid, 0) != 0 && errno == ESRCH;
  const size_t paren = text.rfind(')');  // the name may hold spaces and ')'
  return paren == std::string::npos || paren + 2 >= text.size() || text[paren + 2] == 'Z' ||
         text[paren + 2] == 'X';
}

int RunStop(const GlobalOptions& global) {
  DaemonClient client;
  if (const int rc = ConnectOrSay("stop", global, &client); rc != kExitClean) return rc;
  std::string error;
  nlohmann::json status, ignored;
  if (!CallDaemon(&client, "status", nlohmann::json::object(), &status, &error) ||
      !CallDaemon(&client, "shutdown", nlohmann::json::object(), &ignored, &error)) {
    std::cerr << "modrace stop: " << error << "\n";
    return kExitWatcher;
  }
  const pid_t pid = status.value("pid", 0);
  // The daemon closes every connection as it stops: wait for that first.
  std::string line;
  while (client.ReadLine(&line, kStopTimeoutMs, &error)) {
  }
  client.Close();
  // Then for the process itself to have exited.
  const int64_t deadline = NowMs() + kStopTimeoutMs;
  while (!Exited(pid)) {
    if (NowMs() >= deadline) {
      std::cerr << "modrace stop: daemon " << pid << " did not exit within "
                << kStopTimeoutMs / 1000 << " s\n";
      return kExitWatcher;
    }
    poll(nullptr, 0, 20);  // waiting for an exit, not for data
  }
  std::cerr << "modrace stop: stopped the daemon of " << DisplayLine(status.value("tree", "?"))
            << "\n";
  return kExitClean;
}

}  // namespace

CLI::App* DefineStopCommand(CLI::App& app, CommandContext& ctx) {
  CLI::App* sub = app.add_subcommand(
      "stop", "Stop the tree's daemon: it writes its report file and exits; returns once it has");
  AddDaemonOptions(sub, &ctx.global);
  sub->callback([&ctx] { ctx.exit_code = RunStop(ctx.global); });
  return sub;
}

}  // namespace modrace

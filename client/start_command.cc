// SPDX-License-Identifier: GPL-2.0-only
// modrace start: launches the tree's daemon, detached, and returns once it
// is ready (every watch in place). A tree has at most one such daemon:
// starting a second one is refused (exit 3, naming the running one) rather
// than reused, because its --report/--record/--backend may differ from
// what this call asked for; `modrace stop` first to change them.

#include <iostream>

#include "client/commands.h"
#include "client/daemon_connection.h"
#include "client/daemon_launcher.h"
#include "client/format/display_text.h"
#include "client/exit_codes.h"

namespace modrace {

namespace {

struct StartOptions {
  std::string backend = "auto";
  std::string report;
  std::string record;
};

int RunStart(const StartOptions& o, const GlobalOptions& global) {
  std::string socket, error;
  if (!ResolveSocketPath(global, &socket, &error)) {
    std::cerr << "modrace start: " << error << "\n";
    return kExitUsage;
  }
  DaemonClient probe;
  if (probe.Connect(socket, &error)) {
    std::cerr << "modrace start: a daemon is already running for " << DisplayLine(TreeOf(global))
              << " (socket " << socket << "); 'modrace stop' it first to start another\n";
    return kExitWatcher;
  }
  LaunchOptions launch;
  launch.root = TreeOf(global);
  launch.socket_path = global.socket;
  launch.backend = o.backend;
  launch.report_path = o.report;
  launch.record_path = o.record;
  LaunchedDaemon daemon;
  const int rc = LaunchDaemon(launch, &daemon, &error);
  if (rc != kExitClean) {
    std::cerr << error << "\n";
    return rc;
  }
  std::cout << daemon.socket_path << std::endl;
  return kExitClean;
}

}  // namespace

CLI::App* DefineStartCommand(CLI::App& app, CommandContext& ctx) {
  auto options = std::make_shared<StartOptions>();
  CLI::App* sub = app.add_subcommand(
      "start", "Start the tree's watcher daemon in the background; print its socket");
  sub->footer(
      "Returns once every watch is in place, so a build started afterwards is fully seen.\n"
      "Refuses (exit 3) when the tree already has a daemon: 'modrace stop' it first.");
  AddDaemonOptions(sub, &ctx.global);
  AddBackendOption(sub, &options->backend);
  sub->add_option("--report", options->report,
                  "Keep the JSON report in FILE (written atomically, on every change and at "
                  "stop)");
  sub->add_option("--record", options->record,
                  "Record every event to FILE (for 'modrace replay')");
  sub->callback([options, &ctx] { ctx.exit_code = RunStart(*options, ctx.global); });
  return sub;
}

}  // namespace modrace

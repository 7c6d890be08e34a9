// modrace run -- CMD ARGS...: watches one build from its first write to its
// last. Starts a private daemon for the tree, waits until every watch is in
// place, runs CMD with the terminal's stdio, then a barrier (so the last
// writes are analyzed), prints the report after the build's own output,
// and stops the daemon.
//
// Exit: the build's own status when it failed (128+N when killed by signal
// N, 127 when it could not be run); otherwise 1 when a finding is at or
// above --fail-on, else 0; 2 bad usage, 3 when the watcher could not run.

#include <time.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "client/commands.h"
#include "client/daemon_connection.h"
#include "client/exit_codes.h"
#include "client/foreground_command.h"
#include "client/private_daemon.h"
#include "client/progress_line.h"
#include "client/report_output.h"

namespace modrace {

namespace {

struct RunOptions {
  std::string backend = "auto";
  std::string report;
  std::string record;
  std::string output_file;
  std::vector<std::string> command;
  OutputOptions output;
};

double NowSeconds() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

int RunRun(const RunOptions& o, const GlobalOptions& global) {
  if (!global.socket.empty()) {
    std::cerr << "modrace run: --socket does not apply: run starts a private daemon of its "
                 "own (use --tree DIR)\n";
    return kExitUsage;
  }
  PrivateDaemon daemon;
  LaunchOptions launch;
  launch.root = TreeOf(global);
  launch.backend = o.backend;
  launch.report_path = o.report;
  launch.record_path = o.record;
  std::string error;
  const int rc = daemon.Start(launch, &error);
  if (rc != kExitClean) {
    std::cerr << error << "\n";
    return rc;
  }
  ProgressLine progress;
  const double started = NowSeconds();
  auto tick = [&] {
    nlohmann::json status;
    std::string ignored;
    std::string line = "modrace run: " + FormatElapsed(NowSeconds() - started);
    if (daemon.Status(&status, &ignored)) {
      line += ", " + std::to_string(status.value("events", 0)) + " events, " +
              std::to_string(status.value("findings", 0)) +
              (status.value("findings", 0) == 1 ? " finding" : " findings") + " so far";
    }
    progress.Show(line);
  };
  const ForegroundResult build =
      RunForegroundCommand(o.command, progress.enabled() ? 500 : 0, tick);
  progress.Clear();
  if (!build.started) std::cerr << "modrace run: " << build.error << "\n";

  Report report;
  if (!daemon.SettledReport(&report, &error)) {
    std::cerr << "modrace run: the watcher failed: " << error << "\n";
    daemon.Stop();
    return build.status != 0 ? build.status : kExitWatcher;
  }
  // Stop first: with --report, the daemon writes the file as it exits.
  daemon.Stop();
  if (o.output_file.empty()) {
    RenderReport(report, ResolveFormat(o.output, isatty(STDOUT_FILENO)), std::cout);
    std::cout.flush();
  } else {
    // A file is not a terminal: json unless --format says otherwise.
    std::ofstream out(o.output_file, std::ios::binary | std::ios::trunc);
    RenderReport(report, ResolveFormat(o.output, false), out);
    out.close();
    if (!out) {
      std::cerr << "modrace run: cannot write " << o.output_file << "\n";
      if (build.status == 0) return kExitUsage;
    }
  }
  const int findings_code = ExitCodeFor(report, o.output.fail_on);
  if (isatty(STDERR_FILENO)) {
    std::cerr << "modrace run: build " << DescribeStatus(build.status) << " after "
              << FormatElapsed(NowSeconds() - started) << "; " << report.findings.size()
              << (report.findings.size() == 1 ? " finding" : " findings")
              << (report.complete ? "" : " (incomplete report)") << "\n";
  }
  if (build.status != 0) return build.status;
  return findings_code;
}

}  // namespace

CLI::App* DefineRunCommand(CLI::App& app, CommandContext& ctx) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* sub = app.add_subcommand(
      "run", "Run a build under watch, then print the report: run [OPTIONS] -- make -j8");
  sub->footer(
      "Starts a private daemon on the tree, runs the command with this terminal, waits\n"
      "until its last write is analyzed, prints the report after the build's output.\n"
      "Exit: the build's own status when it failed (128+N when killed by signal N),\n"
      "else 1 for findings at or above --fail-on, else 0; 3 when the watcher could not run.");
  sub->add_option("--tree", ctx.global.tree, "Tree to watch (default: the current directory)");
  AddBackendOption(sub, &options->backend);
  sub->add_option("--report", options->report, "Also write the JSON report to FILE");
  sub->add_option("--record", options->record,
                  "Record every event to FILE (for 'modrace replay')");
  AddOutputOptions(sub, &options->output);
  sub->add_option("--output", options->output_file,
                  "Write the rendered report (--format) to FILE instead of stdout, apart from "
                  "the build's own output");
  sub->add_option("CMD", options->command, "The build command, after --")->required();
  sub->callback([options, &ctx] { ctx.exit_code = RunRun(*options, ctx.global); });
  return sub;
}

}  // namespace modrace

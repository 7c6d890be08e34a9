// modrace repro -- CMD ARGS...: the way to reproduce a flaky race locally.
// Runs `--clean CMD` (via /bin/sh -c) and then the build under watch, up to
// --times N times, and stops at the first run that hits (unless --all).
// A run hits when its report has a finding at or above --fail-on (with
// --fail-on never: any finding). On stderr: one line per run and the hit
// rate ("hit 3 of 10 runs (30%): runs 2, 5, 9"); on stdout: the report of
// the first hit in the chosen format (the last run's when none hit).
//
// One private daemon serves every run: a barrier after the clean step, then
// `reset`, so each run's report holds that run's build only.
//
// Exit: 1 when any run hit, else 0; a build or clean step that fails stops
// the loop and its status is the exit code; 2 bad usage, 3 when the watcher
// could not run.

#include <time.h>
#include <unistd.h>

#include <iostream>
#include <optional>

#include "client/commands.h"
#include "client/daemon_connection.h"
#include "client/exit_codes.h"
#include "client/foreground_command.h"
#include "client/private_daemon.h"
#include "client/progress_line.h"
#include "client/report_output.h"

namespace modrace {

namespace {

struct ReproOptions {
  int times = 10;
  std::string clean;
  bool all = false;
  std::string backend = "auto";
  std::vector<std::string> command;
  OutputOptions output;
};

double NowSeconds() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

bool IsHit(const Report& report, const std::string& fail_on) {
  if (fail_on == "never") return !report.findings.empty();
  return ExitCodeFor(report, fail_on) == kExitFindings;
}

std::string RunList(const std::vector<int>& runs) {
  std::string s;
  for (int r : runs) s += (s.empty() ? "" : ", ") + std::to_string(r);
  return s;
}

int RunRepro(const ReproOptions& o, const GlobalOptions& global) {
  if (!global.socket.empty()) {
    std::cerr << "modrace repro: --socket does not apply: repro starts a private daemon of "
                 "its own (use --tree DIR)\n";
    return kExitUsage;
  }
  PrivateDaemon daemon;
  LaunchOptions launch;
  launch.root = TreeOf(global);
  launch.backend = o.backend;
  std::string error;
  const int rc = daemon.Start(launch, &error);
  if (rc != kExitClean) {
    std::cerr << error << "\n";
    return rc;
  }
  ProgressLine progress;
  std::vector<int> hits;
  std::optional<Report> first_hit;
  Report last;
  int runs = 0;
  int failed_status = 0;
  for (int run = 1; run <= o.times; ++run) {
    if (!o.clean.empty()) {
      const ForegroundResult clean = RunShellCommand(o.clean);
      if (clean.status != 0) {
        std::cerr << "modrace repro: run " << run << ": --clean command failed ("
                  << (clean.started ? DescribeStatus(clean.status) : clean.error) << ")\n";
        failed_status = clean.status;
        break;
      }
    }
    // The clean step's deletions are analyzed, then forgotten.
    if (!daemon.Settle(&error) || !daemon.Reset(&error)) {
      std::cerr << "modrace repro: the watcher failed: " << error << "\n";
      return kExitWatcher;
    }
    ++runs;
    const double started = NowSeconds();
    auto tick = [&] {
      nlohmann::json status;
      std::string ignored;
      std::string line = "modrace repro: run " + std::to_string(run) + " of " +
                         std::to_string(o.times) + ", " + FormatElapsed(NowSeconds() - started);
      if (daemon.Status(&status, &ignored)) {
        line += ", " + std::to_string(status.value("events", 0)) + " events";
      }
      line += "; hit " + std::to_string(hits.size()) + " so far";
      progress.Show(line);
    };
    const ForegroundResult build =
        RunForegroundCommand(o.command, progress.enabled() ? 500 : 0, tick);
    progress.Clear();
    if (!build.started) std::cerr << "modrace repro: " << build.error << "\n";
    if (!daemon.SettledReport(&last, &error)) {
      std::cerr << "modrace repro: the watcher failed: " << error << "\n";
      return build.status != 0 ? build.status : kExitWatcher;
    }
    const bool hit = IsHit(last, o.output.fail_on);
    std::cerr << "modrace repro: run " << run << " of " << o.times << ": "
              << (hit ? "HIT" : "no hit") << " (" << last.findings.size()
              << (last.findings.size() == 1 ? " finding" : " findings") << ", build "
              << DescribeStatus(build.status) << ")\n";
    if (hit) {
      hits.push_back(run);
      if (!first_hit) first_hit = last;
    }
    if (build.status != 0) {
      std::cerr << "modrace repro: the build failed; stopping\n";
      failed_status = build.status;
      break;
    }
    if (hit && !o.all) break;
  }
  daemon.Stop();
  if (runs > 0) {
    std::cerr << "modrace repro: hit " << hits.size() << " of " << runs
              << (runs == 1 ? " run" : " runs") << " ("
              << static_cast<int>(100.0 * hits.size() / runs + 0.5) << "%)"
              << (hits.empty() ? "" : ": " + std::string(hits.size() == 1 ? "run " : "runs ") +
                                          RunList(hits))
              << "\n";
    RenderReport(first_hit ? *first_hit : last, ResolveFormat(o.output, isatty(STDOUT_FILENO)),
                 std::cout);
    std::cout.flush();
  }
  if (failed_status != 0) return failed_status;
  return hits.empty() || o.output.fail_on == "never" ? kExitClean : kExitFindings;
}

}  // namespace

CLI::App* DefineReproCommand(CLI::App& app, CommandContext& ctx) {
  auto options = std::make_shared<ReproOptions>();
  CLI::App* sub = app.add_subcommand(
      "repro", "Repeat a build under watch until a race shows; print the hit rate");
  sub->footer(
      "Example: modrace repro --times 20 --clean 'make clean' -- make -j8\n"
      "Stops at the first run that hits (a finding at or above --fail-on) unless --all;\n"
      "stderr says which runs hit and the hit rate, stdout holds the first hit's report.\n"
      "Exit 1 when any run hit, else 0; a failing build or --clean step stops the loop\n"
      "and its status is the exit code.");
  sub->add_option("--tree", ctx.global.tree, "Tree to watch (default: the current directory)");
  sub->add_option("--times", options->times, "How many runs at most (default: 10)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--clean", options->clean,
                  "Shell command run before each build (e.g. 'make clean')");
  sub->add_flag("--all", options->all, "Do every run, even after a hit: measures the hit rate");
  AddBackendOption(sub, &options->backend);
  AddOutputOptions(sub, &options->output);
  sub->add_option("CMD", options->command, "The build command, after --")->required();
  sub->callback([options, &ctx] { ctx.exit_code = RunRepro(*options, ctx.global); });
  return sub;
}

}  // namespace modrace

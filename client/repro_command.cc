// SPDX-License-Identifier: GPL-2.0-only
// modrace repro -- CMD ARGS...: the way to reproduce a flaky race locally.
// Runs `--clean CMD` (via /bin/sh -c) and then the build under watch, up to
// --times N times, and stops at the first run that hits (unless --all).
// A run hits when its report has a finding at or above --fail-on (with
// --fail-on never: any finding). A build that fails is a run like any
// other (the race hunted is often what fails it): counted, hit or not, and
// the loop goes on. On stderr: one line per run and the hit rate ("hit 3
// of 10 runs (30%): runs 2, 5, 9; builds failed in runs 2, 9"); on stdout:
// the report of the first hit in the chosen format (the last run's when
// none hit). Nothing of modrace's is drawn while a build runs.
//
// One private daemon serves every run: a barrier after the clean step, then
// `reset`, so each run's report holds that run's build only.
//
// Exit: 1 when any run hit; else the status of the first build that
// failed; else 0. A --clean step that fails stops the loop and its status
// is the exit code. SIGINT, SIGTERM, SIGHUP or SIGQUIT sent to modrace
// stops the running build (its process group), ends the loop, writes the
// reports (that run's marked incomplete, coverage.stopped_by) and exits
// 128+N, as timeout(1). modrace's own failures: 125 (bad usage, the watcher
// could not run), 126 the build command cannot be executed, 127 not found.

#include <stdlib.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "client/build_outputs.h"
#include "client/commands.h"
#include "client/daemon_connection.h"
#include "client/elapsed_time.h"
#include "client/exit_codes.h"
#include "client/foreground_command.h"
#include "client/output_file.h"
#include "client/private_daemon.h"
#include "client/stopped_build.h"
#include "client/format/report_output.h"

namespace modrace {

namespace {

struct ReproOptions {
  int times = 10;
  std::string clean;
  bool all = false;
  std::string backend = "auto";
  std::vector<std::string> command;
  OutputOptions output;
  std::string report;       // --report FILE: the JSON report
  std::string output_file;  // --output FILE: the rendered report, apart from the builds' output
};

bool IsHit(const Report& report, const std::string& fail_on) {
  if (fail_on == "never") return !report.findings.empty();
  return ExitCodeFor(report, fail_on) == kExitFindings;
}

std::string RunList(const std::vector<int>& runs) {
  std::string s;
  for (int r : runs) s += (s.empty() ? "" : ", ") + std::to_string(r);
  return s;
}

struct RunOutcome {
  ForegroundResult build;
  Report report;
};

// One run: the clean step, then the build under watch, and its line on
// stderr. Returns false when the loop must stop before the build's report
// (a failed --clean, a build that cannot start, the watcher failing) with
// *exit_code set.
bool OneRun(const ReproOptions& o, int run, PrivateDaemon* daemon, RunOutcome* outcome,
            int* exit_code) {
  std::string error;
  if (!o.clean.empty()) {
    const ForegroundResult clean = RunShellCommand(o.clean);
    if (clean.status != 0) {
      std::cerr << "modrace repro: run " << run << ": --clean command failed ("
                << (clean.started ? DescribeStatus(clean.status) : clean.error) << ")\n";
      *exit_code = clean.signal_received != 0 ? 128 + clean.signal_received : clean.status;
      return false;
    }
  }
  // The clean step's deletions are analyzed, then forgotten.
  if (!daemon->Settle(&error) || !daemon->Reset(&error)) {
    std::cerr << "modrace repro: the watcher failed: " << error << "\n";
    *exit_code = kExitWrapperFailed;
    return false;
  }
  const double started = NowSeconds();
  outcome->build = RunForegroundCommand(o.command, 0, nullptr);
  if (!outcome->build.started) {
    std::cerr << "modrace repro: " << outcome->build.error << "\n";
    *exit_code = outcome->build.status;
    return false;
  }
  if (!daemon->SettledReport(&outcome->report, &error)) {
    std::cerr << "modrace repro: the watcher failed: " << error << "\n";
    *exit_code = kExitWrapperFailed;
    return false;
  }
  const bool hit = IsHit(outcome->report, o.output.fail_on);
  std::cerr << "modrace repro: run " << run << " of " << o.times << ": "
            << (hit ? "HIT" : "no hit") << " (" << outcome->report.findings.size()
            << (outcome->report.findings.size() == 1 ? " finding; " : " findings; ")
            << DescribeBuild(outcome->build) << " after "
            << FormatElapsed(NowSeconds() - started) << ")\n";
  return true;
}

// The report of the first hit (else the last run): JSON to --report, the
// chosen format to --output or stdout. False when a file cannot be written
// (said on stderr).
bool WriteReports(const ReproOptions& o, const Report& report, OutputFile* report_file,
                  OutputFile* output_file) {
  bool ok = true;
  std::string error;
  if (report_file->is_open()) {
    const nlohmann::json j = report;
    if (!report_file->Write(
            j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", &error)) {
      std::cerr << "modrace repro: --report: " << error << "\n";
      ok = false;
    }
  }
  if (!output_file->is_open()) {
    RenderReport(report, ResolveFormat(o.output, isatty(STDOUT_FILENO)), std::cout);
    std::cout.flush();
    return ok;
  }
  // A file is not a terminal: json unless --format says otherwise.
  std::ostringstream text;
  RenderReport(report, ResolveFormat(o.output, false), text);
  if (!output_file->Write(text.str(), &error)) {
    std::cerr << "modrace repro: --output: " << error << "\n";
    ok = false;
  }
  return ok;
}

int RunRepro(const ReproOptions& o, const GlobalOptions& global) {
  if (!global.socket.empty()) {
    std::cerr << "modrace repro: --socket does not apply: repro starts a private daemon of "
                 "its own (use --tree DIR)\n";
    return kExitWrapperFailed;
  }
  PrivateDaemon daemon;
  LaunchOptions launch;
  launch.root = TreeOf(global);
  launch.backend = o.backend;
  // No run could hit: the watch would see none of the build's outputs.
  const char* kbuild_output = getenv("KBUILD_OUTPUT");
  const std::string outside =
      OutputsOutsideTree(launch.root, o.command, kbuild_output ? kbuild_output : "");
  if (!outside.empty()) {
    std::cerr << "modrace repro: " << OutputsOutsideMessage(outside) << "; no build was run\n";
    return kExitWrapperFailed;
  }
  std::string error;
  OutputFile report_file, output_file;
  if ((!o.report.empty() && !report_file.Open(o.report, &error)) ||
      (!o.output_file.empty() && !output_file.Open(o.output_file, &error))) {
    std::cerr << "modrace repro: " << error << "; no build was run\n";
    return kExitWrapperFailed;
  }
  if (daemon.Start(launch, &error) != kExitClean) {
    std::cerr << error << "\nmodrace repro: the watcher could not start; no build was run\n";
    return kExitWrapperFailed;
  }
  std::vector<int> hits, failed;
  std::optional<Report> first_hit;
  Report last;
  int runs = 0;
  int stop_code = 0;  // set when the loop stopped early
  int first_failed_status = 0;
  for (int run = 1; run <= o.times; ++run) {
    RunOutcome outcome;
    if (!OneRun(o, run, &daemon, &outcome, &stop_code)) break;
    ++runs;
    last = std::move(outcome.report);
    const int signal = outcome.build.signal_received;
    if (signal != 0) NoteStoppedBy(signal, &last);
    const bool hit = IsHit(last, o.output.fail_on);
    if (hit) {
      hits.push_back(run);
      if (!first_hit) first_hit = last;
    }
    if (outcome.build.status != 0) {
      failed.push_back(run);
      if (first_failed_status == 0) first_failed_status = outcome.build.status;
    }
    if (signal != 0) {
      // As timeout(1): the signal that stopped the build is the exit status.
      stop_code = 128 + signal;
      std::cerr << "modrace repro: stopped by " << SignalName(signal) << " in run " << run
                << "\n";
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
              << (failed.empty() ? "; every build succeeded"
                                 : std::string(failed.size() == 1 ? "; the build failed in run "
                                                                  : "; builds failed in runs ") +
                                       RunList(failed))
              << "\n";
    const Report& shown = first_hit ? *first_hit : last;
    if (!WriteReports(o, shown, &report_file, &output_file)) stop_code = kExitWrapperFailed;
  }
  if (stop_code != 0) return stop_code;
  if (!hits.empty() && o.output.fail_on != "never") return kExitFindings;
  return first_failed_status;
}

}  // namespace

CLI::App* DefineReproCommand(CLI::App& app, CommandContext& ctx) {
  auto options = std::make_shared<ReproOptions>();
  CLI::App* sub = app.add_subcommand(
      "repro", "Repeat a build under watch until a race shows; print the hit rate");
  sub->footer(
      "Example: modrace repro --times 20 --clean 'make clean' -- make -j8\n"
      "Stops at the first run that hits (a finding at or above --fail-on) unless --all;\n"
      "stderr says which runs hit and the hit rate, stdout holds the first hit's report\n"
      "(or --output FILE; --report FILE also keeps it as JSON).\n"
      "A build that fails is a run like any other: counted (hit or not), the loop goes on.\n"
      "Exit 1 when any run hit; else the status of the first build that failed; else 0.\n"
      "A failing --clean step stops the loop and its status is the exit code.\n"
      "SIGINT, SIGTERM, SIGHUP or SIGQUIT sent to modrace stops the build (its process\n"
      "group) and the loop; the reports are written (marked incomplete) and the exit is\n"
      "128+N.\n"
      "modrace's own failures: 125 bad usage or the watcher could not run, 126 the build\n"
      "command cannot be executed, 127 it was not found.");
  sub->add_option("--tree", ctx.global.tree, "Tree to watch (default: the current directory)");
  sub->add_option("--times", options->times, "How many runs at most (default: 10)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--clean", options->clean,
                  "Shell command run before each build (e.g. 'make clean')");
  sub->add_flag("--all", options->all, "Do every run, even after a hit: measures the hit rate");
  AddBackendOption(sub, &options->backend);
  AddOutputOptions(sub, &options->output);
  sub->add_option("--report", options->report,
                  "Also write the JSON report (the first hit's, else the last run's) to FILE");
  sub->add_option("--output", options->output_file,
                  "Write the rendered report (--format) to FILE instead of stdout, apart from "
                  "the builds' own output");
  sub->add_option("CMD", options->command, "The build command, after --")->required();
  sub->callback([options, &ctx] { ctx.exit_code = RunRepro(*options, ctx.global); });
  return sub;
}

}  // namespace modrace

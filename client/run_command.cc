// SPDX-License-Identifier: GPL-2.0-only
// modrace run -- CMD ARGS...: watches one build from its first write to its
// last. Checks its output files, audits the tree with the build's .config
// (client/run_prediction.h: the name clashes that config builds go to
// stderr before the build), starts a private daemon for the tree, waits
// until every watch is in place, runs CMD with the terminal's stdio
// (nothing of modrace's is drawn while it runs), then a barrier (so the
// last writes are analyzed), prints the report after the build's own
// output (the predictions merged in, client/prediction_merge.h; --report
// rewritten with them), stops the daemon, and ends stderr with the findings
// as compiler diagnostics (client/format/diag_format.h: a build log's
// readers count `FILE:LINE: error:` lines; --quiet leaves them out) and one
// line that says both halves: "build failed (exit 2); 2 errors found".
// For an external module build (`make -C K M=TREE`) the inputs of K it never
// remakes (vmlinux for BTF, Module.symvers) are checked before the build
// and after it (client/kernel_inputs.h); a stale one is a stale_input
// warning, on stderr before the build and in the report.
//
// SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to modrace go to the build's
// process group (client/foreground_command.h); once it has exited, the
// report (incomplete: coverage.stopped_by) is printed and written as ever,
// the daemon stopped, and modrace exits 128+N.
//
// Exit (as timeout(1) and env(1) wrap a command): 128+N when signal N sent
// to modrace stopped the build; the build's own status
// when it failed (128+N when killed by signal N); 1 when the build
// succeeded and a finding is at or above --fail-on, else 0; modrace's own
// failures 125 (bad usage, the watcher could not run, an output file it
// cannot write), 126 the build command cannot be executed, 127 not found.

#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "analyzer/finding_causes.h"
#include "client/build_outputs.h"
#include "client/commands.h"
#include "client/daemon_connection.h"
#include "client/elapsed_time.h"
#include "client/exit_codes.h"
#include "client/foreground_command.h"
#include "client/kernel_inputs.h"
#include "client/output_file.h"
#include "client/private_daemon.h"
#include "client/format/report_output.h"
#include "client/run_prediction.h"
#include "client/stopped_build.h"
#include "common/atomic_file.h"

namespace modrace {

namespace {

struct RunOptions {
  std::string backend = "auto";
  std::string report;
  std::string record;
  std::string output_file;
  std::vector<std::string> command;
  OutputOptions output;
  bool quiet = false;  // stderr ends with the summary line alone
};

// The diagnostics go to stderr unless stdout carries them already.
bool DiagOnStderr(const RunOptions& o, OutputFormat stdout_format) {
  return !o.quiet && !(o.output_file.empty() && stdout_format == OutputFormat::kDiag);
}

// The predictions and the lines that build each module, into the live
// report and the --report file the daemon wrote. False when that file
// cannot be rewritten (said on stderr).
// `changed`: the report differs from the daemon's already (a coverage note).
bool MergePrediction(const RunPrediction& prediction, const ForegroundResult& build,
                     const std::string& report_file, bool changed, Report* report) {
  if (!prediction.clashes.empty() || !prediction.sources.empty()) {
    *report = MergePredictions(std::move(*report), prediction.clashes, prediction.sources,
                               {build.started && build.status == 0, DescribeBuild(build)});
    changed = true;
  }
  // The merged predictions and any gap added since the daemon's report
  // join their causes (docs/architecture.md, Causes).
  AssignCauses(report->findings);
  if (!changed || report_file.empty()) return true;
  const nlohmann::json j = *report;
  std::string error;
  if (WriteFileAtomically(
          report_file, j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
          &error)) {
    return true;
  }
  std::cerr << "modrace run: --report: " << error << "\n";
  return false;
}

int RunRun(const RunOptions& o, const GlobalOptions& global) {
  if (!global.socket.empty()) {
    std::cerr << "modrace run: --socket does not apply: run starts a private daemon of its "
                 "own (use --tree DIR)\n";
    return kExitWrapperFailed;
  }
  std::string error;
  OutputFile output;
  if (!o.output_file.empty() && !output.Open(o.output_file, &error)) {
    std::cerr << "modrace run: --output: " << error << "; the build was not started\n";
    return kExitWrapperFailed;
  }
  PrivateDaemon daemon;
  LaunchOptions launch;
  launch.root = TreeOf(global);
  // Before the watches exist: the audit's own reads of the tree (every
  // directory opened) would otherwise flood the daemon's queue.
  const RunPrediction prediction = PredictBeforeBuild(launch.root, o.command);
  // The kernel directory of an external module build lies outside the
  // tree: its inputs are read now and after the build (client/kernel_inputs.h).
  const std::string kernel_dir = KernelDirOf(launch.root, o.command);
  const std::vector<Finding> stale_at_start =
      CheckKernelInputs(kernel_dir, "at the build's start");
  launch.backend = o.backend;
  launch.report_path = o.report;
  launch.record_path = o.record;
  if (daemon.Start(launch, &error) != kExitClean) {
    std::cerr << error << "\nmodrace run: the watcher could not start; the build was not "
                          "started\n";
    return kExitWrapperFailed;
  }
  std::cerr << DescribePredictions(prediction) << std::flush;
  for (const Finding& f : stale_at_start) {
    std::cerr << "modrace run: warning: stale_input: " << f.message << "\n" << std::flush;
  }
  const char* kbuild_output = getenv("KBUILD_OUTPUT");
  const std::string outside =
      OutputsOutsideTree(launch.root, o.command, kbuild_output ? kbuild_output : "");
  if (!outside.empty()) {
    std::cerr << "modrace run: warning: " << OutputsOutsideMessage(outside) << "\n" << std::flush;
  }
  const double started = NowSeconds();
  const ForegroundResult build = RunForegroundCommand(o.command, 0, nullptr);
  if (!build.started) std::cerr << "modrace run: " << build.error << "\n";
  const std::string took = " after " + FormatElapsed(NowSeconds() - started);

  Report report;
  if (!daemon.SettledReport(&report, &error)) {
    daemon.Stop();
    std::cerr << "modrace run: " << DescribeBuild(build) << took
              << "; no report: the watcher failed: " << error << "\n";
    return build.status != 0 ? build.status : kExitWrapperFailed;
  }
  // Stop first: with --report, the daemon writes the file as it exits.
  daemon.Stop();
  if (!outside.empty()) NoteOutputsOutside(outside, &report);
  const bool stopped = build.signal_received != 0;
  if (stopped) NoteStoppedBy(build.signal_received, &report);
  const size_t live_findings = report.findings.size();
  AddStaleInputs(stale_at_start, CheckKernelInputs(kernel_dir, "at the build's end"), &report);
  const bool stale = report.findings.size() != live_findings;
  bool wrote =
      MergePrediction(prediction, build, o.report, !outside.empty() || stopped || stale, &report);
  const OutputFormat stdout_format = ResolveFormat(o.output, isatty(STDOUT_FILENO));
  if (o.output_file.empty()) {
    RenderReport(report, stdout_format, std::cout);
    std::cout.flush();
  } else {
    // A file is not a terminal: json unless --format says otherwise.
    std::ostringstream text;
    RenderReport(report, ResolveFormat(o.output, false), text);
    if (!output.Write(text.str(), &error)) {
      wrote = false;
      std::cerr << "modrace run: --output: " << error << "\n";
    }
  }
  if (DiagOnStderr(o, stdout_format)) RenderReport(report, OutputFormat::kDiag, std::cerr);
  std::cerr << "modrace run: " << DescribeBuild(build) << took
            << (stopped ? " (stopped by " + SignalName(build.signal_received) + ")" : "") << "; "
            << SummarizeFindings(report) << "\n";
  // As timeout(1): a signal that stopped the build is modrace's own status.
  if (stopped) return 128 + build.signal_received;
  if (build.status != 0) return build.status;
  if (!wrote) return kExitWrapperFailed;
  return ExitCodeFor(report, o.output.fail_on);
}

}  // namespace

CLI::App* DefineRunCommand(CLI::App& app, CommandContext& ctx) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* sub = app.add_subcommand(
      "run", "Run a build under watch, then print the report: run [OPTIONS] -- make -j8");
  sub->footer(
      "Starts a private daemon on the tree, runs the command (after --) with this\n"
      "terminal, waits until its last write is analyzed, prints the report after the\n"
      "build's output. stderr then holds each finding as a compiler diagnostic, the\n"
      "lines build-log readers match (\"drivers/net/usb/Makefile:31: error: ...\n"
      "[modrace-module_name_collision]\", then note: lines; --quiet leaves them out), and\n"
      "last a line that says how the build ended and what was found (\"build failed\n"
      "(exit 2); 2 errors found\").\n"
      "SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to modrace (a CI runner cancelling the\n"
      "job) go to the build's process group; once it exits, the report is written,\n"
      "marked incomplete (coverage.stopped_by), and modrace exits 128+N.\n"
      "Exit, as timeout(1) wraps a command: the build's own status when it failed\n"
      "(128+N when killed by signal N); else 1 for findings at or above --fail-on, else 0.\n"
      "modrace's own failures: 125 bad usage, the watcher could not run or an output file\n"
      "cannot be written (checked before the build starts); 126 the build command cannot\n"
      "be executed; 127 it was not found.\n"
      "With a .config (the tree's, or K/.config for `make -C K M=TREE`) the name clashes\n"
      "that config builds are predicted on stderr before the build starts; the report\n"
      "marks each `prediction: confirmed` (the build wrote it) or `unconfirmed` (why).");
  sub->add_option("--tree", ctx.global.tree, "Tree to watch (default: the current directory)");
  AddBackendOption(sub, &options->backend);
  sub->add_option("--report", options->report, "Also write the JSON report to FILE");
  sub->add_option("--record", options->record,
                  "Record every event to FILE (for 'modrace replay')");
  AddOutputOptions(sub, &options->output);
  sub->add_option("--output", options->output_file,
                  "Write the rendered report (--format) to FILE instead of stdout, apart from "
                  "the build's own output");
  sub->add_flag("--quiet,-q", options->quiet,
                "On stderr, only the last line: no diagnostics after the build");
  sub->add_option("CMD", options->command, "The build command, after --")->required();
  sub->callback([options, &ctx] { ctx.exit_code = RunRun(*options, ctx.global); });
  return sub;
}

}  // namespace modrace

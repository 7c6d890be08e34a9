// SPDX-License-Identifier: GPL-2.0-only
// modrace replay FILE: runs a recorded event stream through the analyzer
// again, offline: the same findings the daemon made.

#include <unistd.h>

#include <iostream>

#include "analyzer/analyzer.h"
#include "analyzer/replay.h"
#include "client/commands.h"
#include "client/exit_codes.h"
#include "client/input_file.h"
#include "client/format/report_output.h"
#include "proto/version.h"

namespace modrace {

namespace {

struct ReplayOptions {
  std::string file;
  std::string root;
  OutputOptions output;
};

int RunReplay(const ReplayOptions& o) {
  std::string text, error;
  if (!ReadInputFile(o.file, &text, &error)) {
    std::cerr << "modrace replay: " << error << "\n";
    return kExitUsage;
  }
  if (ClassifyInput(text) == InputKind::kEmpty) {
    std::cerr << "modrace replay: " << o.file
              << " is empty: no events (expected one JSON event per line, from modraced "
                 "--record)\n";
    return kExitUsage;
  }
  if (ClassifyInput(text) == InputKind::kReport) {
    std::cerr << "modrace replay: " << o.file
              << " is a report, not a recording of events (modraced --record): use 'modrace "
                 "report --from "
              << o.file << "'\n";
    return kExitUsage;
  }
  Analyzer analyzer(o.root);
  const ReplayResult r = ReplayEvents(text, &analyzer);
  // A bad line stops the replay (analyzer/replay.h). With no good event
  // before it the file is no recording (exit 2); after good events, the
  // report covers that prefix and says it is incomplete.
  if (!r.ok && r.events == 0) {
    std::cerr << "modrace replay: " << o.file << " is not a recording of events (one JSON "
              << "event per line, from modraced --record): " << PlainJsonError(r.error) << "\n";
    return kExitUsage;
  }
  if (!r.ok) {
    std::cerr << "modrace replay: " << o.file << ": " << PlainJsonError(r.error)
              << "; the report covers the " << r.events
              << " good events before it and is incomplete\n";
  }
  Report report;
  report.schema = kReportSchema;
  // The tree the events came from, as --root names it. A recording does not
  // say (its paths are relative to the recorded root), so without --root
  // the tree is unnamed: the current directory is no more the tree than any
  // other, and the formats say "no findings" without a place.
  report.tree = o.root;
  report.backend = "replay";
  report.coverage = analyzer.coverage();
  report.complete = report.coverage.Complete() && r.ok;
  report.statistics = analyzer.statistics();
  report.findings = analyzer.findings();
  report.jobs = analyzer.jobs();
  report.timeline = analyzer.timeline(&report.timeline_dropped);
  if (!analyzer.saw_processes()) {
    report.jobs_unavailable =
        "no recorded event names its process (recorded with the inotify backend): no jobs, "
        "no write hazards";
  }
  RenderReport(report, ResolveFormat(o.output, isatty(STDOUT_FILENO)), std::cout);
  return ExitCodeFor(report, o.output.fail_on);
}

}  // namespace

CLI::App* DefineReplayCommand(CLI::App& app, CommandContext& ctx) {
  auto options = std::make_shared<ReplayOptions>();
  CLI::App* sub = app.add_subcommand(
      "replay", "Run a recorded event stream (modraced --record FILE) through the analyzer "
                "again, offline, and report its findings");
  sub->add_option("FILE", options->file,
                  "Event file, one JSON event per line. A bad line stops the replay: with no good "
                  "event before it, exit 2; otherwise the report of the events before it, "
                  "marked incomplete (complete=false), and the bad line named on stderr")
      ->required();
  sub->add_option("--root", options->root,
                  "Absolute path of the tree that was recorded (relates absolute paths in "
                  "modules.order to it)");
  AddOutputOptions(sub, &options->output);
  sub->callback([options, &ctx] { ctx.exit_code = RunReplay(*options); });
  return sub;
}

}  // namespace modrace

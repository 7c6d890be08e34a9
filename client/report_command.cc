// SPDX-License-Identifier: GPL-2.0-only
// modrace report: the tree's report, from its daemon (after a barrier with
// --settle) or from a saved report file (--from, no daemon needed), in any
// output format; the exit code follows --fail-on.

#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "analyzer/finding_causes.h"
#include "client/commands.h"
#include "client/daemon_connection.h"
#include "client/exit_codes.h"
#include "client/input_file.h"
#include "client/format/report_output.h"

namespace modrace {

namespace {

constexpr int kSettleTimeoutMs = 120000;

struct ReportOptions {
  bool settle = false;
  std::string from;
  OutputOptions output;
};

int RunReport(const ReportOptions& o, const GlobalOptions& global) {
  Report report;
  std::string error;
  if (!o.from.empty()) {
    if (!LoadReportFile(o.from, &report, &error)) {
      std::cerr << "modrace report: " << error << "\n";
      return kExitUsage;
    }
  } else {
    DaemonClient client;
    if (const int rc = ConnectOrSay("report", global, &client); rc != kExitClean) return rc;
    nlohmann::json result;
    nlohmann::json args = {{"settle", o.settle}};
    if (o.settle) args["timeout_ms"] = kSettleTimeoutMs;
    if (!CallDaemon(&client, "report", args, &result, &error, kSettleTimeoutMs + 10000)) {
      std::cerr << "modrace report: " << error << "\n";
      return kExitWatcher;
    }
    try {
      report = result.at("report").get<Report>();
    } catch (const std::exception& e) {
      std::cerr << "modrace report: the daemon sent a report this client cannot read: "
                << e.what() << "\n";
      return kExitWatcher;
    }
  }
  // A report older than causes (docs/architecture.md, Causes) is grouped here.
  const bool unassigned = std::any_of(report.findings.begin(), report.findings.end(),
                                      [](const Finding& f) { return f.cause == 0; });
  if (unassigned) AssignCauses(report.findings);
  RenderReport(report, ResolveFormat(o.output, isatty(STDOUT_FILENO)), std::cout);
  std::cout.flush();
  return ExitCodeFor(report, o.output.fail_on);
}

}  // namespace

CLI::App* DefineReportCommand(CLI::App& app, CommandContext& ctx) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* sub = app.add_subcommand(
      "report",
      "Print the tree's report: from its daemon, or from a saved report file (--from)");
  AddDaemonOptions(sub, &ctx.global);
  sub->add_flag("--settle", options->settle,
                "First wait until everything written so far is analyzed (a barrier)");
  sub->add_option("--from", options->from,
                  "Render this saved report file (modraced --report, --format json) instead; "
                  "no daemon needed");
  AddOutputOptions(sub, &options->output);
  sub->callback([options, &ctx] { ctx.exit_code = RunReport(*options, ctx.global); });
  return sub;
}

}  // namespace modrace

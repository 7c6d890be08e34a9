// modrace status: what the tree's daemon watches and has seen. Lines for a
// person on a terminal; the daemon's status object as one JSON line when
// piped or with --format json.

#include <unistd.h>

#include <iostream>

#include "analyzer/plural.h"
#include "client/commands.h"
#include "client/daemon_connection.h"
#include "client/display_text.h"
#include "client/exit_codes.h"
#include "client/progress_line.h"
#include "proto/bytes_json.h"

namespace modrace {

namespace {

std::string Str(const nlohmann::json& status, const char* key) {
  auto it = status.find(key);
  if (it == status.end() || it->is_null()) return "";
  return DisplayText(it->is_string() ? it->get<std::string>() : it->dump());
}

void RenderStatusText(const nlohmann::json& s, std::ostream& out) {
  out << "daemon " << Str(s, "pid") << " watching " << Str(s, "tree") << "\n";
  out << "  backend:   " << Str(s, "backend");
  if (!Str(s, "backend_reason").empty()) out << " (" << Str(s, "backend_reason") << ")";
  out << "\n  socket:    " << Str(s, "socket") << "\n";
  out << "  watching:  " << Str(s, "watched_dirs") << " directories";
  if (s.value("unwatched_dirs", 0) != 0) {
    out << ", " << Str(s, "unwatched_dirs") << " NOT watched";
  }
  out << "\n  seen:      " << Str(s, "events") << " events, " << Str(s, "findings")
      << " findings (revision " << Str(s, "revision") << ")\n";
  out << "  complete:  "
      << (s.value("complete", true) ? "yes" : "no: the report may miss something") << "\n";
  if (s.value("overflows", 0) != 0) out << "  overflows: " << Str(s, "overflows") << "\n";
  if (!Str(s, "report_file").empty()) {
    out << "  report:    " << Str(s, "report_file") << " (written "
        << Times(s.value("reports_written", uint64_t{0})) << ")";
    if (!Str(s, "report_error").empty()) out << " ERROR: " << Str(s, "report_error");
    out << "\n";
  }
  if (!Str(s, "record_file").empty()) out << "  record:    " << Str(s, "record_file") << "\n";
  out << "  clients:   " << Str(s, "clients") << " (" << Str(s, "subscribers")
      << " subscribed)\n";
  if (s.contains("uptime_ms") && s["uptime_ms"].is_number()) {
    out << "  up:        " << FormatElapsed(s["uptime_ms"].get<double>() / 1000) << "\n";
  }
}

int RunStatus(const std::string& format, const GlobalOptions& global) {
  DaemonClient client;
  std::string error;
  const int rc = ConnectToDaemon(global, &client, &error);
  if (rc != kExitClean) {
    std::cerr << "modrace status: " << error << "\n";
    return rc;
  }
  nlohmann::json status;
  if (!CallDaemon(&client, "status", nlohmann::json::object(), &status, &error)) {
    std::cerr << "modrace status: " << error << "\n";
    return kExitWatcher;
  }
  const bool text = format.empty() ? isatty(STDOUT_FILENO) == 1 : format == "text";
  if (text) {
    RenderStatusText(status, std::cout);
  } else {
    std::cout << DumpLine(status) << "\n";
  }
  return kExitClean;
}

}  // namespace

CLI::App* DefineStatusCommand(CLI::App& app, CommandContext& ctx) {
  auto format = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "status", "Show what the tree's daemon watches and has seen (JSON when piped)");
  AddDaemonOptions(sub, &ctx.global);
  sub->add_option("--format", *format, "text (default on a terminal) or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub->callback([format, &ctx] { ctx.exit_code = RunStatus(*format, ctx.global); });
  return sub;
}

}  // namespace modrace

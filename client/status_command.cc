// SPDX-License-Identifier: GPL-2.0-only
// modrace status: what the tree's daemon watches and has seen. Lines for a
// person on a terminal; the daemon's status object as one JSON line when
// piped or with --format json. `status --all`: every daemon of this user
// that `start` launched, and the private ones of a running `run` or `repro`
// (the sockets in common/socket_path.h's directory), one line each, or a
// JSON array of their status objects.

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <vector>

#include "common/plural.h"
#include "client/commands.h"
#include "client/daemon_connection.h"
#include "client/format/display_text.h"
#include "client/exit_codes.h"
#include "client/elapsed_time.h"
#include "common/socket_path.h"
#include "proto/bytes_json.h"

namespace modrace {

namespace {

std::string Str(const nlohmann::json& status, const char* key) {
  auto it = status.find(key);
  if (it == status.end() || it->is_null()) return "";
  return DisplayLine(it->is_string() ? it->get<std::string>() : it->dump());
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
      << " subscribed)";
  // Connections turned away: the client limit, or another user's peer.
  if (s.value("refused_clients", 0) != 0) {
    out << ", " << Str(s, "refused_clients") << " refused (too many clients)";
  }
  if (s.value("rejected_peers", 0) != 0) {
    out << ", " << Str(s, "rejected_peers") << " rejected (another user)";
  }
  out << "\n";
  if (s.contains("uptime_ms") && s["uptime_ms"].is_number()) {
    out << "  up:        " << FormatElapsed(s["uptime_ms"].get<double>() / 1000) << "\n";
  }
}

// The sockets in the user's socket directory, sorted.
std::vector<std::string> SocketsOfThisUser() {
  std::vector<std::string> sockets;
  const std::string dir = SocketDir();
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return sockets;
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".sock") == 0) {
      sockets.push_back(dir + "/" + name);
    }
  }
  closedir(d);
  std::sort(sockets.begin(), sockets.end());
  return sockets;
}

int RunStatusAll(bool text) {
  nlohmann::json all = nlohmann::json::array();
  std::string lines;
  for (const std::string& socket : SocketsOfThisUser()) {
    GlobalOptions one;
    one.socket = socket;
    DaemonClient client;
    std::string error;
    nlohmann::json status;
    if (ConnectToDaemon(one, &client, &error) != kExitClean ||
        !CallDaemon(&client, "status", nlohmann::json::object(), &status, &error, 5000)) {
      lines += DisplayLine(socket) + ": no daemon answers (" + DisplayLine(error) + ")\n";
      continue;
    }
    all.push_back(status);
    const std::string owner = status.value("build_parent", 0) > 0
                                  ? ", private to modrace pid " + Str(status, "build_parent")
                                  : "";
    lines += Str(status, "tree") + "  (daemon " + Str(status, "pid") + owner + ", " +
             Str(status, "backend") + ", " + Str(status, "findings") + " findings, socket " +
             Str(status, "socket") + ")\n";
  }
  if (!text) {
    std::cout << DumpLine(all) << "\n";
  } else if (lines.empty()) {
    std::cout << "no daemon of this user is running (sockets in " << DisplayLine(SocketDir())
              << ")\n";
  } else {
    std::cout << lines;
  }
  return kExitClean;
}

int RunStatus(const std::string& format, const GlobalOptions& global) {
  DaemonClient client;
  if (const int rc = ConnectOrSay("status", global, &client); rc != kExitClean) return rc;
  std::string error;
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
  auto all = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand(
      "status", "Show what the tree's daemon watches and has seen (JSON when piped)");
  AddDaemonOptions(sub, &ctx.global);
  sub->add_flag("--all", *all,
                "List every running daemon of this user, those 'modrace start' launched and "
                "the private ones of a running 'modrace run' or 'repro': its tree and socket "
                "(a JSON array when piped)");
  sub->add_option("--format", *format, "text (default on a terminal) or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub->callback([format, all, &ctx] {
    if (!*all) {
      ctx.exit_code = RunStatus(*format, ctx.global);
    } else if (!ctx.global.tree.empty() || !ctx.global.socket.empty()) {
      std::cerr << "modrace status: --all lists every daemon; it takes no --tree or --socket\n";
      ctx.exit_code = kExitUsage;
    } else {
      ctx.exit_code =
          RunStatusAll(format->empty() ? isatty(STDOUT_FILENO) == 1 : *format == "text");
    }
  });
  return sub;
}

}  // namespace modrace

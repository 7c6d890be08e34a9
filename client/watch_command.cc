// SPDX-License-Identifier: GPL-2.0-only
// modrace watch: findings as they happen, from a subscription to the
// tree's daemon (every finding so far, then live). One line per finding for
// a person on a terminal; the daemon's event lines as they are (JSON lines)
// when piped or with --format json. Ends on SIGINT/SIGTERM (exit 0) or when
// the daemon goes away (said on stderr, exit 0); a daemon that drops this
// subscriber for falling behind is exit 3.

#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <iostream>
#include <set>

#include "client/commands.h"
#include "client/daemon_connection.h"
#include "client/format/display_text.h"
#include "client/exit_codes.h"
#include "proto/bytes_json.h"
#include "proto/finding.h"

namespace modrace {

namespace {

volatile sig_atomic_t g_stop = 0;

void OnStopSignal(int) { g_stop = 1; }

// "12:03:04 error certain module_name_collision: MESSAGE"
std::string FindingLine(const Finding& f, bool update) {
  char clock[16] = "--:--:--";
  const time_t t = static_cast<time_t>(f.first_time_ns / 1000000000);
  struct tm tm;
  if (f.first_time_ns > 0 && localtime_r(&t, &tm) != nullptr) {
    strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
  }
  std::string line = std::string(clock) + " " + std::string(SeverityName(f.severity)) + " " +
                     std::string(ConfidenceName(f.confidence)) + " " +
                     std::string(FindingKindName(f.kind)) + ": " + DisplayText(f.message);
  if (update) line += " (updated)";
  // DisplayText keeps newlines; one finding, one line.
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

int RunWatch(const std::string& format, const GlobalOptions& global) {
  DaemonClient client;
  if (const int rc = ConnectOrSay("watch", global, &client); rc != kExitClean) return rc;
  std::string error;
  nlohmann::json result;
  if (!CallDaemon(&client, "subscribe", {{"since", 0}}, &result, &error)) {
    std::cerr << "modrace watch: " << error << "\n";
    return kExitWatcher;
  }
  const bool text = format.empty() ? isatty(STDOUT_FILENO) == 1 : format == "text";
  if (isatty(STDERR_FILENO)) {
    std::cerr << "modrace watch: watching " << TreeOf(global) << "; Ctrl-C to stop\n";
  }
  // No SA_RESTART: the read's poll wakes up, and the loop sees g_stop.
  struct sigaction act, old_int, old_term;
  memset(&act, 0, sizeof(act));
  act.sa_handler = OnStopSignal;
  sigemptyset(&act.sa_mask);
  sigaction(SIGINT, &act, &old_int);
  sigaction(SIGTERM, &act, &old_term);
  std::set<uint64_t> seen;
  int exit_code = kExitClean;
  while (!g_stop) {
    nlohmann::json event;
    if (!client.ReadEvent(&event, 250, &error)) {
      if (client.timed_out()) continue;
      std::cerr << "modrace watch: the daemon went away (" << error << "); stopped watching\n";
      break;
    }
    const std::string kind = event.value("event", "");
    if (kind == "dropped") {
      std::cerr << "modrace watch: the daemon dropped this subscription: "
                << DisplayText(event.contains("error") && event["error"].is_object()
                                   ? event["error"].value("message", "?")
                                   : "?")
                << "\n";
      exit_code = kExitWatcher;
      break;
    }
    if (!text) {
      std::cout << DumpLine(event) << std::endl;
      continue;
    }
    if (kind != "finding") continue;
    try {
      const Finding f = event.at("finding").get<Finding>();
      std::cout << FindingLine(f, !seen.insert(f.id).second) << std::endl;
    } catch (const std::exception& e) {
      std::cerr << "modrace watch: unreadable finding from the daemon: " << e.what() << "\n";
    }
  }
  if (g_stop && isatty(STDERR_FILENO)) std::cerr << "\nmodrace watch: stopped\n";
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  return exit_code;
}

}  // namespace

CLI::App* DefineWatchCommand(CLI::App& app, CommandContext& ctx) {
  auto format = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "watch", "Print findings as they happen, until Ctrl-C or until the daemon stops");
  sub->footer("Every finding so far comes first, then each new or grown one, live.");
  AddDaemonOptions(sub, &ctx.global);
  sub->add_option("--format", *format,
                  "text (one line per finding; default on a terminal) or json (the daemon's "
                  "event lines; default when piped)")
      ->check(CLI::IsMember({"text", "json"}));
  sub->callback([format, &ctx] { ctx.exit_code = RunWatch(*format, ctx.global); });
  return sub;
}

}  // namespace modrace

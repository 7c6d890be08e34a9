// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/command_table.h"

#include <exception>

#include "proto/version.h"

namespace modrace {

namespace {

constexpr uint64_t kDefaultBarrierTimeoutMs = 30000;

// Reads an optional unsigned argument. Returns false (after replying) on a
// wrong type.
bool UnsignedArg(const CommandCall& call, const char* key, uint64_t* out) {
  auto it = call.request.args.find(key);
  if (it == call.request.args.end() || it->is_null()) return true;
  if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<int64_t>() >= 0)) {
    call.respond(ErrorReply(call.request.id, kErrBadRequest,
                            std::string("\"") + key + "\" must be a non-negative integer"));
    return false;
  }
  *out = it->get<uint64_t>();
  return true;
}

void Hello(const CommandCall& call) {
  nlohmann::json commands = nlohmann::json::array();
  size_t n = 0;
  const DaemonCommandEntry* table = DaemonCommandTable(&n);
  for (size_t i = 0; i < n; ++i) commands.push_back(table[i].name);
  call.respond(OkReply(call.request.id, {{"daemon", "modraced"},
                                         {"version", kModraceVersion},
                                         {"protocol_version", kProtocolVersion},
                                         {"report_schema", kReportSchema},
                                         {"event_schema", kEventSchema},
                                         {"max_line_bytes", kMaxLineBytes},
                                         {"commands", commands}}));
}

void Status(const CommandCall& call) {
  call.respond(OkReply(call.request.id, call.services.Status()));
}

// Runs a barrier of `timeout_ms` (docs/architecture.md, Flush barrier), then
// answers with reply(id, services), or with the barrier's error. The answer
// comes after this call returns: everything it needs is copied.
void AfterBarrier(const CommandCall& call, uint64_t timeout_ms,
                  Reply (*reply)(const nlohmann::json& id, CommandServices& services)) {
  nlohmann::json id = call.request.id;
  Respond respond = call.respond;
  CommandServices* services = &call.services;
  call.services.Barrier(timeout_ms, [id, respond, services, reply](bool ok,
                                                                   const std::string& error) {
    respond(ok ? reply(id, *services) : ErrorReply(id, kErrUnavailable, error));
  });
}

Reply ReportReply(const nlohmann::json& id, CommandServices& services) {
  nlohmann::json report = services.store().MakeReport();
  return OkReply(id, {{"revision", services.store().revision()}, {"report", std::move(report)}});
}

// args.settle: a barrier first, so the report covers everything written
// before the request.
void ReportCommand(const CommandCall& call) {
  auto settle = call.request.args.find("settle");
  if (settle != call.request.args.end() && !settle->is_boolean()) {
    call.respond(ErrorReply(call.request.id, kErrBadRequest, "\"settle\" must be a boolean"));
    return;
  }
  if (settle == call.request.args.end() || !settle->get<bool>()) {
    call.respond(ReportReply(call.request.id, call.services));
    return;
  }
  uint64_t timeout_ms = kDefaultBarrierTimeoutMs;
  if (!UnsignedArg(call, "timeout_ms", &timeout_ms)) return;
  AfterBarrier(call, timeout_ms, ReportReply);
}

void Findings(const CommandCall& call) {
  uint64_t since = 0;
  if (!UnsignedArg(call, "since", &since)) return;
  ReportStore& store = call.services.store();
  call.respond(OkReply(call.request.id, {{"revision", store.revision()},
                                         {"findings", store.FindingsSince(since)}}));
}

void Subscribe(const CommandCall& call) {
  uint64_t since = 0;
  if (!UnsignedArg(call, "since", &since)) return;
  call.respond(OkReply(call.request.id, {{"revision", call.services.store().revision()}}));
  call.services.Subscribe(call.client, since);
}

void BarrierCommand(const CommandCall& call) {
  uint64_t timeout_ms = kDefaultBarrierTimeoutMs;
  if (!UnsignedArg(call, "timeout_ms", &timeout_ms)) return;
  AfterBarrier(call, timeout_ms, [](const nlohmann::json& id, CommandServices& services) {
    return OkReply(id, {{"revision", services.store().revision()},
                        {"events", services.store().events()}});
  });
}

void ResetCommand(const CommandCall& call) {
  call.services.Reset();
  call.respond(OkReply(call.request.id, {{"revision", call.services.store().revision()}}));
}

void ShutdownCommand(const CommandCall& call) {
  call.respond(OkReply(call.request.id, nlohmann::json::object()));
  call.services.Shutdown();
}

}  // namespace

const DaemonCommandEntry* DaemonCommandTable(size_t* count) {
  static const DaemonCommandEntry kTable[] = {
      {"hello", Hello, "versions of the daemon and the protocol"},
      {"status", Status, "what is watched, counters, clients"},
      {"report", ReportCommand, "the whole report (modrace.report/1); args.settle: barrier first"},
      {"findings", Findings, "findings changed since args.since (a revision)"},
      {"subscribe", Subscribe, "stream findings changed since args.since, then live"},
      {"barrier", BarrierCommand, "answer once everything written before is analyzed"},
      {"reset", ResetCommand, "forget findings and coverage (a new build)"},
      {"shutdown", ShutdownCommand, "flush the report and exit"},
  };
  *count = sizeof(kTable) / sizeof(kTable[0]);
  return kTable;
}

void HandleRequestLine(CommandServices& services, uint64_t client, std::string_view line,
                       const Respond& respond) {
  Request request;
  std::string code, message;
  if (!ParseRequest(line, &request, &code, &message)) {
    respond(ErrorReply(request.id, code, message));
    return;
  }
  size_t n = 0;
  const DaemonCommandEntry* table = DaemonCommandTable(&n);
  for (size_t i = 0; i < n; ++i) {
    if (request.cmd == table[i].name) {
      try {
        table[i].handler(CommandCall{services, client, request, respond});
      } catch (const std::exception& e) {
        // A bug in one command must not take the watcher down.
        respond(ErrorReply(request.id, kErrInternal, e.what()));
      }
      return;
    }
  }
  respond(ErrorReply(request.id, kErrUnknownCommand,
                     "unknown command '" + request.cmd + "' (try \"hello\" for the list)"));
}

}  // namespace modrace

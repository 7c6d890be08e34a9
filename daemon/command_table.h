// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_COMMAND_TABLE_H_
#define MODRACE_DAEMON_COMMAND_TABLE_H_

// The daemon's protocol commands: one explicit table of {name, handler}
// (command_table.cc), no self-registration. Handlers reach the daemon only
// through CommandServices, so they are tested against a fake.
//
// Every request line gets exactly one reply: a handler calls `respond`
// once, at once or later (barrier). Unknown commands and malformed lines
// get error replies; nothing a client sends stops the daemon except
// `shutdown`.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "daemon/report_store.h"
#include "proto/protocol.h"

namespace modrace {

// What commands may use; the daemon implements it.
class CommandServices {
 public:
  virtual ~CommandServices() = default;
  virtual ReportStore& store() = 0;
  // The daemon's state for `status` (watches, clients, counters).
  virtual nlohmann::json Status() = 0;
  // Streams every finding changed after `cursor` to `client`, now and from
  // now on, as {"event": "finding", "finding": {...}} lines.
  virtual void Subscribe(uint64_t client, uint64_t cursor) = 0;
  // Calls done(true, "") once everything written before now is analyzed.
  virtual void Barrier(uint64_t timeout_ms,
                       std::function<void(bool ok, const std::string& error)> done) = 0;
  virtual void Reset() = 0;
  // Asks the daemon to flush and stop after this reply is sent.
  virtual void Shutdown() = 0;
};

using Respond = std::function<void(const Reply& reply)>;

struct CommandCall {
  CommandServices& services;
  uint64_t client;
  const Request& request;
  const Respond& respond;
};

using CommandHandler = void (*)(const CommandCall& call);

struct DaemonCommandEntry {
  const char* name;  // kebab-case on the wire
  CommandHandler handler;
  const char* summary;
};

// The table, in the order `hello` lists it. Named apart from the client's
// CommandEntry/CommandTable (client/command.h) so one binary may link both.
const DaemonCommandEntry* DaemonCommandTable(size_t* count);

// Parses one request line and runs its command, or replies with an error.
void HandleRequestLine(CommandServices& services, uint64_t client, std::string_view line,
                       const Respond& respond);

}  // namespace modrace

#endif  // MODRACE_DAEMON_COMMAND_TABLE_H_

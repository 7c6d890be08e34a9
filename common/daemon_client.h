// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_DAEMON_CLIENT_H_
#define MODRACE_DAEMON_DAEMON_CLIENT_H_

// DaemonClient: a blocking connection to modraced, for the CLI and tests.
// One request at a time; subscription lines that arrive while waiting for
// a reply are kept and handed out by ReadEvent().

#include <deque>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "proto/protocol.h"

namespace modrace {

class DaemonClient {
 public:
  DaemonClient() = default;
  ~DaemonClient();
  DaemonClient(const DaemonClient&) = delete;
  DaemonClient& operator=(const DaemonClient&) = delete;

  bool Connect(const std::string& socket_path, std::string* error);
  bool connected() const { return fd_ >= 0; }
  void Close();

  // Sends one raw line ('\n' added). For tests of bad input, too.
  bool SendLine(std::string_view line, std::string* error);
  bool Send(const Request& request, std::string* error);
  // Reads one line; timeout_ms < 0 waits forever. False on timeout, EOF
  // (error "connection closed") or error.
  bool ReadLine(std::string* line, int timeout_ms, std::string* error);

  // Sends {id, cmd, args} and waits for the reply with that id. Returns
  // false on transport errors only; a daemon error is reply->ok == false.
  bool Call(const std::string& cmd, const nlohmann::json& args, Reply* reply,
            std::string* error, int timeout_ms = 60000);

  // The next subscription line ({"event": ...}), kept or read.
  bool ReadEvent(nlohmann::json* event, int timeout_ms, std::string* error);

  // True when the last ReadLine/ReadEvent/Call failed only because its
  // timeout passed: the connection is still good (e.g. a subscriber's idle
  // wait), unlike EOF or an error.
  bool timed_out() const { return timed_out_; }

 private:
  int fd_ = -1;
  std::string buffer_;
  std::deque<nlohmann::json> events_;
  int64_t next_id_ = 1;
  bool timed_out_ = false;
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_DAEMON_CLIENT_H_

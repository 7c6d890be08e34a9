// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_PROTO_PROTOCOL_H_
#define MODRACE_PROTO_PROTOCOL_H_

// The wire protocol: a Unix stream socket, one JSON object per line (at
// most kMaxLineBytes). Requests `{"id", "cmd", "args"}`; replies
// `{"id", "ok": true, "result"}` or `{"id", "ok": false, "error": {code,
// message}}`; subscribers also get `{"event": "finding", "finding": {...}}`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace modrace {

// Error codes on the wire.
inline constexpr const char kErrBadRequest[] = "bad_request";
inline constexpr const char kErrUnknownCommand[] = "unknown_command";
inline constexpr const char kErrLineTooLong[] = "line_too_long";
inline constexpr const char kErrInternal[] = "internal";
inline constexpr const char kErrUnavailable[] = "unavailable";
inline constexpr const char kErrSlowSubscriber[] = "slow_subscriber";
inline constexpr const char kErrTooManyClients[] = "too_many_clients";

struct Request {
  nlohmann::json id;  // echoed back as is (number, string or null)
  std::string cmd;
  nlohmann::json args = nlohmann::json::object();
};

struct Reply {
  nlohmann::json id;
  bool ok = true;
  nlohmann::json result = nlohmann::json::object();  // when ok
  std::string error_code;                            // when !ok
  std::string error_message;
};

// Parses one request line. On failure returns false, sets *error_code and
// *error_message, and sets request->id to the line's id where one could be
// read (so the error reply can still name it). Never throws.
bool ParseRequest(std::string_view line, Request* request, std::string* error_code,
                  std::string* error_message);
bool ParseReply(std::string_view line, Reply* reply, std::string* error);

nlohmann::json RequestToJson(const Request& r);
nlohmann::json ReplyToJson(const Reply& r);
Reply OkReply(const nlohmann::json& id, nlohmann::json result);
Reply ErrorReply(const nlohmann::json& id, std::string code, std::string message);

}  // namespace modrace

#endif  // MODRACE_PROTO_PROTOCOL_H_

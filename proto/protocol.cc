// SPDX-License-Identifier: GPL-2.0-only
#include "proto/protocol.h"

#include <utility>

#include "proto/bytes_json.h"
#include "proto/version.h"

namespace modrace {

bool ParseRequest(std::string_view line, Request* request, std::string* error_code,
                  std::string* error_message) {
  *request = Request{};
  if (line.size() > kMaxLineBytes) {
    *error_code = kErrLineTooLong;
    *error_message = "request line longer than " + std::to_string(kMaxLineBytes) + " bytes";
    return false;
  }
  if (!JsonDepthWithin(line, kMaxJsonDepth)) {
    *error_code = kErrBadRequest;
    *error_message = "request nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    *error_code = kErrBadRequest;
    *error_message = "request is not valid JSON";
    return false;
  }
  if (!j.is_object()) {
    *error_code = kErrBadRequest;
    *error_message = "request must be a JSON object";
    return false;
  }
  if (auto it = j.find("id"); it != j.end()) request->id = *it;
  auto cmd = j.find("cmd");
  if (cmd == j.end() || !cmd->is_string()) {
    *error_code = kErrBadRequest;
    *error_message = "request needs a string \"cmd\"";
    return false;
  }
  request->cmd = cmd->get<std::string>();
  if (auto args = j.find("args"); args != j.end()) {
    if (!args->is_object()) {
      *error_code = kErrBadRequest;
      *error_message = "\"args\" must be an object";
      return false;
    }
    request->args = *args;
  }
  return true;
}

bool ParseReply(std::string_view line, Reply* reply, std::string* error) {
  *reply = Reply{};
  if (!JsonDepthWithin(line, kMaxJsonDepth)) {
    *error = "reply nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "reply is not a JSON object";
    return false;
  }
  auto ok = j.find("ok");
  if (ok == j.end() || !ok->is_boolean()) {
    *error = "reply has no boolean \"ok\"";
    return false;
  }
  if (auto it = j.find("id"); it != j.end()) reply->id = *it;
  reply->ok = ok->get<bool>();
  if (reply->ok) {
    if (auto it = j.find("result"); it != j.end()) reply->result = *it;
    return true;
  }
  auto err = j.find("error");
  if (err == j.end() || !err->is_object()) {
    *error = "error reply has no \"error\" object";
    return false;
  }
  // value() would throw on a non-string; ParseReply never throws.
  auto code = err->find("code");
  auto message = err->find("message");
  if (code == err->end() || !code->is_string() ||
      (message != err->end() && !message->is_string())) {
    *error = "error reply needs a string \"code\" (and \"message\")";
    return false;
  }
  reply->error_code = code->get<std::string>();
  if (message != err->end()) reply->error_message = message->get<std::string>();
  return true;
}

nlohmann::json RequestToJson(const Request& r) {
  return nlohmann::json{{"id", r.id}, {"cmd", r.cmd}, {"args", r.args}};
}

nlohmann::json ReplyToJson(const Reply& r) {
  if (r.ok) return nlohmann::json{{"id", r.id}, {"ok", true}, {"result", r.result}};
  return nlohmann::json{{"id", r.id},
                        {"ok", false},
                        {"error", {{"code", r.error_code}, {"message", r.error_message}}}};
}

Reply OkReply(const nlohmann::json& id, nlohmann::json result) {
  Reply r;
  r.id = id;
  r.ok = true;
  r.result = std::move(result);
  return r;
}

Reply ErrorReply(const nlohmann::json& id, std::string code, std::string message) {
  Reply r;
  r.id = id;
  r.ok = false;
  r.error_code = std::move(code);
  r.error_message = std::move(message);
  return r;
}

}  // namespace modrace

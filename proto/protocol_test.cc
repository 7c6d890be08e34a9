// SPDX-License-Identifier: GPL-2.0-only
#include "proto/protocol.h"

#include <doctest/doctest.h>

#include "proto/bytes_json.h"
#include "proto/version.h"
#include "tests/schema_check.h"

namespace modrace {

TEST_CASE("a well-formed request parses with its id and args") {
  Request r;
  std::string code, message;
  REQUIRE(ParseRequest(R"({"id": 7, "cmd": "report", "args": {"settle": true}})", &r, &code,
                       &message));
  CHECK(r.id == 7);
  CHECK(r.cmd == "report");
  CHECK(r.args["settle"] == true);
  CHECK(SchemaCheck("proto/request.schema.json", DumpLine(RequestToJson(r))) == "");
}

TEST_CASE("bad requests get a code, a message and keep their id") {
  Request r;
  std::string code, message;
  CHECK_FALSE(ParseRequest("not json", &r, &code, &message));
  CHECK(code == kErrBadRequest);
  CHECK_FALSE(ParseRequest("[]", &r, &code, &message));
  CHECK(code == kErrBadRequest);
  CHECK_FALSE(ParseRequest(R"({"id": "x1"})", &r, &code, &message));
  CHECK(code == kErrBadRequest);
  CHECK(r.id == "x1");
  CHECK_FALSE(ParseRequest(R"({"id": 3, "cmd": "status", "args": [1]})", &r, &code, &message));
  CHECK(r.id == 3);
  CHECK(message.find("args") != std::string::npos);
  const std::string huge(kMaxLineBytes + 1, ' ');
  CHECK_FALSE(ParseRequest(huge, &r, &code, &message));
  CHECK(code == kErrLineTooLong);
}

TEST_CASE("replies round-trip and fit the reply schema") {
  const Reply ok = OkReply(7, {{"protocol", kProtocolVersion}});
  const Reply err = ErrorReply(nullptr, kErrUnknownCommand, "unknown command 'frob'");
  const std::string lines = DumpLine(ReplyToJson(ok)) + "\n" + DumpLine(ReplyToJson(err));
  CHECK(SchemaCheck("proto/reply.schema.json", lines) == "");
  Reply back;
  std::string error;
  REQUIRE(ParseReply(DumpLine(ReplyToJson(err)), &back, &error));
  CHECK_FALSE(back.ok);
  CHECK(back.error_code == kErrUnknownCommand);
  REQUIRE(ParseReply(DumpLine(ReplyToJson(ok)), &back, &error));
  CHECK(back.ok);
  CHECK(back.result["protocol"] == kProtocolVersion);
  CHECK_FALSE(ParseReply("{\"id\":1}", &back, &error));
}

TEST_CASE("the schema validator itself rejects a wrong reply") {
  // Guards the guard: a schema check that accepts everything proves nothing.
  CHECK(SchemaCheck("proto/reply.schema.json", R"({"id": 1, "ok": "yes"})") != "");
  CHECK(SchemaCheck("proto/request.schema.json", R"({"cmd": "frob"})") != "");
}

}  // namespace modrace

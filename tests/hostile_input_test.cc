// SPDX-License-Identifier: GPL-2.0-only
// Bad input that fuzzing found or that must never harm the daemon: oversize lines,
// invalid UTF-8 and newlines in paths, deep JSON nesting, wrong JSON types,
// include loops. Each must give an error or a faithful result, never a
// crash, a hang or a line split in two.

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "analyzer/analyzer.h"
#include "kbuild/kbuild_makefile.h"
#include "analyzer/replay.h"
#include "daemon/line_reader.h"
#include "proto/bytes_json.h"
#include "proto/fs_event.h"
#include "proto/protocol.h"
#include "proto/version.h"

namespace modrace {
namespace {

std::string Deep(size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

FsEvent CloseWrite(uint64_t seq, const std::string& path, const std::string& content) {
  FsEvent e;
  e.seq = seq;
  e.time_ns = static_cast<int64_t>(seq) * 1000;
  e.kind = EventKind::kCloseWrite;
  e.path = path;
  e.content = content;
  return e;
}

// Records events as `modraced --record` does: one DumpLine each.
std::string Record(const std::vector<FsEvent>& events) {
  std::string out;
  for (const FsEvent& e : events) out += DumpLine(nlohmann::json(e)) + "\n";
  return out;
}

bool HasCollision(const Analyzer& a, const std::string& module) {
  for (const Finding& f : a.findings()) {
    if (f.kind == FindingKind::kModuleNameCollision && f.module == module) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("deeply nested JSON is refused, not a stack overflow") {
  // 400 KB, well under the 1 MiB line limit: copying or dumping such an id
  // recursed once per level and overflowed the daemon's stack.
  const std::string deep = Deep(200000);
  Request request;
  std::string code, message;
  CHECK_FALSE(ParseRequest("{\"id\": " + deep + ", \"cmd\": \"status\"}", &request, &code,
                           &message));
  CHECK(code == kErrBadRequest);
  CHECK(message.find("nests deeper") != std::string::npos);
  CHECK(request.id.is_null());  // the error reply echoes no monster id
  CHECK_FALSE(ParseRequest("{\"cmd\": \"status\", \"args\": {\"x\": " + deep + "}}", &request,
                           &code, &message));

  Reply reply;
  std::string error;
  CHECK_FALSE(ParseReply("{\"ok\": true, \"result\": " + deep + "}", &reply, &error));
  FsEvent event;
  CHECK_FALSE(ParseEventLine("{\"seq\": 1, \"kind\": \"open\", \"path\": \"a\", \"x\": " + deep +
                                 "}",
                             &event, &error));
  CHECK(error.find("nests deeper") != std::string::npos);

  // Brackets inside strings are not nesting; real requests still parse.
  CHECK(ParseRequest("{\"id\": 1, \"cmd\": \"status\", \"args\": {\"p\": \"" + Deep(500) +
                         "\\\"[\"}}",
                     &request, &code, &message));
  CHECK(JsonDepthWithin(Deep(kMaxJsonDepth), kMaxJsonDepth));
  CHECK_FALSE(JsonDepthWithin(Deep(kMaxJsonDepth + 1), kMaxJsonDepth));
}

TEST_CASE("an error reply whose code is not a string is an error, not an exception") {
  Reply reply;
  std::string error;
  CHECK_FALSE(ParseReply(R"({"id": 2, "ok": false, "error": {"code": 5}})", &reply, &error));
  CHECK_FALSE(
      ParseReply(R"({"id": 2, "ok": false, "error": {"code": "x", "message": []}})", &reply,
                 &error));
  CHECK(ParseReply(R"({"id": 2, "ok": false, "error": {"code": "internal"}})", &reply, &error));
  CHECK(reply.error_code == "internal");
}

TEST_CASE("recorded integers out of range or not integers are errors") {
  FsEvent event;
  std::string error;
  // A float beyond int64 was undefined behaviour in the conversion.
  CHECK_FALSE(ParseEventLine(R"({"seq": 1, "time_ns": 1.558e23, "kind": "open", "path": "a"})",
                             &event, &error));
  CHECK(error.find("time_ns") != std::string::npos);
  CHECK_FALSE(ParseEventLine(R"({"seq": -1, "kind": "open", "path": "a"})", &event, &error));
  CHECK_FALSE(ParseEventLine(R"({"seq": 1.5, "kind": "open", "path": "a"})", &event, &error));
  CHECK_FALSE(ParseEventLine(
      R"({"seq": 1, "kind": "open", "path": "a", "process": {"pid": 4294967296}})", &event,
      &error));
  CHECK(ParseEventLine(
      R"({"seq": 18446744073709551615, "time_ns": -5, "kind": "open", "path": "a"})", &event,
      &error));
  CHECK(event.seq == 18446744073709551615ull);
  CHECK(event.time_ns == -5);
}

TEST_CASE("an oversize line stops a replay at its line number, keeping what came before") {
  Analyzer analyzer;
  std::string text = Record({CloseWrite(1, "a/foo.mod", "a/foo.o\n")});
  text += "{\"seq\": 2, \"kind\": \"open\", \"path\": \"" + std::string(kMaxLineBytes, 'x') +
          "\"}\n";
  text += Record({CloseWrite(3, "b/foo.mod", "b/foo.o\n")});
  const ReplayResult r = ReplayEvents(text, &analyzer);
  CHECK_FALSE(r.ok);
  CHECK(r.bad_line == 2);
  CHECK(r.events == 1);
  CHECK(r.error.find("longer than") != std::string::npos);
}

TEST_CASE("invalid UTF-8 and newlines in paths survive record and replay on one line each") {
  const std::string bad_utf8 = "dir\xff\xfe";
  const std::string newline = "evil\ndir";
  const std::vector<FsEvent> events = {
      CloseWrite(1, bad_utf8 + "/foo.mod", bad_utf8 + "/foo.o\n"),
      CloseWrite(2, newline + "/foo.mod", newline + "/foo.o\n"),
      CloseWrite(3, "ok/foo.mod", "ok/foo.o\n"),
  };
  const std::string text = Record(events);
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  CHECK(lines == events.size());  // the newline in a path does not split the line
  CHECK(text.find("path_hex") != std::string::npos);  // bytes kept as hex, not replaced

  Analyzer live, replayed;
  for (const FsEvent& e : events) live.Consume(e);
  const ReplayResult r = ReplayEvents(text, &replayed);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.events == events.size());
  REQUIRE(HasCollision(replayed, "foo"));
  REQUIRE(live.findings().size() == replayed.findings().size());
  for (size_t i = 0; i < live.findings().size(); ++i) {
    CHECK(live.findings()[i].paths == replayed.findings()[i].paths);
    // Findings naming such paths still serialize on one line.
    const std::string line = DumpLine(nlohmann::json(replayed.findings()[i]));
    CHECK(line.find('\n') == std::string::npos);
  }
  bool named_newline_path = false;
  for (const std::string& p : replayed.findings()[0].paths) {
    named_newline_path |= p.find(newline) != std::string::npos;
  }
  CHECK(named_newline_path);
}

TEST_CASE("the daemon's line reader skips an oversize line once and carries on") {
  LineReader reader(kMaxLineBytes);
  std::vector<std::string> lines;
  int too_long = 0;
  auto on_line = [&](std::string_view l) {
    lines.emplace_back(l);
    return true;
  };
  auto on_too_long = [&] {
    ++too_long;
    return true;
  };
  const std::string chunk(64 * 1024, 'y');
  for (int i = 0; i < 40; ++i) {  // 2.5 MiB without a newline, in socket-sized chunks
    REQUIRE(reader.Feed(chunk, on_line, on_too_long));
    REQUIRE(reader.buffered() <= kMaxLineBytes + 1);
  }
  REQUIRE(reader.Feed("tail\n{\"cmd\": \"status\"}\n", on_line, on_too_long));
  CHECK(too_long == 1);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "{\"cmd\": \"status\"}");
}

TEST_CASE("a Makefile that includes itself terminates with a problem, not 2^16 evaluations") {
  // Found by the kbuild_makefile fuzzer: each level included the file twice.
  const std::string common = "include $(src)/common.mk\ninclude $(src)/common.mk\nobj-m += c.o\n";
  int reads = 0;
  auto reader = [&](std::string_view) -> std::optional<std::string> {
    ++reads;
    return common;
  };
  const KbuildDirectory dir = EvaluateKbuildDirectory(
      "include $(src)/common.mk\nobj-m += a.o\n", "d/Kbuild", "d", {},
      [](std::string_view) { return kMayBeM; }, reader);
  CHECK(reads < 10);
  bool loop = false;
  for (const std::string& p : dir.problems) loop |= p.find("include loop") != std::string::npos;
  CHECK(loop);
  REQUIRE(dir.modules.size() == 2);
  CHECK(dir.modules[0].path == "d/c");
  CHECK(dir.modules[1].path == "d/a");
}

}  // namespace modrace

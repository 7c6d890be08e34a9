#include "proto/fs_event.h"

#include <doctest/doctest.h>

#include "proto/bytes_json.h"
#include "tests/schema_check.h"

namespace modrace {

TEST_CASE("every event kind has a name that parses back") {
  for (int k = 0; k <= static_cast<int>(EventKind::kRescanDone); ++k) {
    const auto kind = static_cast<EventKind>(k);
    auto back = ParseEventKind(EventKindName(kind));
    REQUIRE(back.has_value());
    CHECK(*back == kind);
  }
  CHECK_FALSE(ParseEventKind("IN_OPEN").has_value());
}

TEST_CASE("an event with NUL-holed content and a process round-trips and fits the schema") {
  FsEvent e;
  e.seq = 42;
  e.time_ns = 1558000000123456789;
  e.kind = EventKind::kCloseWrite;
  e.path = ".tmp_versions/asix.mod";
  e.content = std::string("drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\n\n") +
              std::string(256, '\0') + "\n";
  ProcessInfo p;
  p.pid = 4242;
  p.start_time = 99;
  p.comm = "sh";
  p.cmdline = "/bin/sh -c { echo drivers/net/phy/asix.ko; } > .tmp_versions/asix.mod";
  p.ancestors = {4000, 1};
  p.ancestor_cmdlines = {"make -j80", "init"};
  e.process = p;
  e.names_only = true;
  const std::string line = DumpLine(nlohmann::json(e));
  CHECK(SchemaCheck("proto/event.schema.json", line) == "");
  FsEvent back;
  std::string error;
  REQUIRE(ParseEventLine(line, &back, &error));
  CHECK(back.seq == 42);
  CHECK(back.time_ns == e.time_ns);
  CHECK(back.kind == EventKind::kCloseWrite);
  CHECK(back.path == e.path);
  REQUIRE(back.content.has_value());
  CHECK(*back.content == *e.content);
  REQUIRE(back.process.has_value());
  CHECK(back.process->pid == 4242);
  CHECK(back.process->ancestor_cmdlines.size() == 2);
  CHECK(back.names_only);
}

TEST_CASE("a path that is not UTF-8 goes as hex and comes back byte for byte") {
  FsEvent e;
  e.seq = 1;
  e.kind = EventKind::kCreate;
  e.path = "dir/\xff\xfe.mod";
  const std::string line = DumpLine(nlohmann::json(e));
  CHECK(line.find("path_hex") != std::string::npos);
  CHECK(SchemaCheck("proto/event.schema.json", line) == "");
  FsEvent back;
  std::string error;
  REQUIRE(ParseEventLine(line, &back, &error));
  CHECK(back.path == e.path);
}

TEST_CASE("bad event lines are errors with a reason, never exceptions") {
  FsEvent e;
  std::string error;
  CHECK_FALSE(ParseEventLine("", &e, &error));
  CHECK_FALSE(ParseEventLine("[1,2]", &e, &error));
  CHECK_FALSE(ParseEventLine("{\"seq\":1,\"kind\":\"open\"}", &e, &error));  // no path
  CHECK(error.find("path") != std::string::npos);
  CHECK_FALSE(ParseEventLine("{\"seq\":1,\"kind\":\"bogus\",\"path\":\"a\"}", &e, &error));
  CHECK(error.find("bogus") != std::string::npos);
  CHECK_FALSE(ParseEventLine(std::string("{\"seq\":1,\0", 9), &e, &error));
}

}  // namespace modrace

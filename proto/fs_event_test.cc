// SPDX-License-Identifier: GPL-2.0-only
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
  e.process = std::make_shared<const ProcessInfo>(p);
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
  REQUIRE(back.process != nullptr);
  CHECK(back.process->pid == 4242);
  CHECK(back.process->ancestor_cmdlines.size() == 2);
  CHECK(back.names_only);
}

TEST_CASE("a recording names each process once; the reader resolves the references") {
  ProcessInfo p;
  p.pid = 7;
  p.start_time = 70;
  p.comm = "sh";
  p.cmdline = "/bin/sh -c gcc -c -o x.o x.c";
  p.ancestors = {5};
  p.ancestor_cmdlines = {"make -j2"};
  p.job_pid = 7;
  p.job_start_time = 70;
  p.make_start_time = 50;
  p.make_dir = "/src";
  p.top_make_pid = 5;
  p.top_make_start_time = 50;
  ProcessRefWriter writer;
  std::vector<std::string> lines;
  for (uint64_t seq = 1; seq <= 3; ++seq) {
    FsEvent e;
    e.seq = seq;
    e.kind = EventKind::kModify;
    e.path = "x.o";
    ProcessInfo now = p;
    if (seq == 3) now.cmdline = "gcc -c -o x.o x.c";  // an exec: written again
    e.process = std::make_shared<const ProcessInfo>(now);
    nlohmann::json j = EventJson(e, false);
    writer.Put(j, *e.process);
    lines.push_back(DumpLine(j));
    CHECK(SchemaCheck("proto/event.schema.json", lines.back()) == "");
  }
  CHECK(lines[0].find("/bin/sh -c gcc") != std::string::npos);
  CHECK(lines[1].find("cmdline") == std::string::npos);  // a reference alone
  CHECK(lines[1].find("\"process_id\":1") != std::string::npos);
  CHECK(lines[2].find("\"id\":2") != std::string::npos);
  EventLineReader reader;
  for (size_t i = 0; i < lines.size(); ++i) {
    FsEvent back;
    std::string error;
    REQUIRE_MESSAGE(reader.Parse(lines[i], &back, &error), error);
    REQUIRE(back.process != nullptr);
    CHECK(back.process->pid == 7);
    CHECK(back.process->job_pid == 7);
    CHECK(back.process->top_make_pid == 5);
    CHECK(back.process->make_dir == "/src");
    CHECK(back.process->cmdline == (i == 2 ? "gcc -c -o x.o x.c" : p.cmdline));
  }
  FsEvent e;
  std::string error;
  EventLineReader fresh;
  CHECK_FALSE(fresh.Parse(lines[1], &e, &error));  // a reference before its process
  CHECK(error.find("process_id 1") != std::string::npos);
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

// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/command_table.h"

#include <functional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "proto/bytes_json.h"

namespace modrace {

namespace {

class FakeServices : public CommandServices {
 public:
  FakeServices() : store_("/tree", "inotify") {}
  ReportStore& store() override { return store_; }
  nlohmann::json Status() override { return {{"watched_dirs", 3}}; }
  void Subscribe(uint64_t client, uint64_t cursor) override {
    subscribed.emplace_back(client, cursor);
  }
  void Barrier(uint64_t timeout_ms,
               std::function<void(bool, const std::string&)> done) override {
    barrier_timeout = timeout_ms;
    pending_barrier = std::move(done);
  }
  void Reset() override { ++resets; }
  void Shutdown() override { ++shutdowns; }

  ReportStore store_;
  std::vector<std::pair<uint64_t, uint64_t>> subscribed;
  std::function<void(bool, const std::string&)> pending_barrier;
  uint64_t barrier_timeout = 0;
  int resets = 0;
  int shutdowns = 0;
};

struct Replies {
  std::vector<Reply> all;
  Respond respond = [this](const Reply& r) { all.push_back(r); };
};

}  // namespace

TEST_CASE("hello lists the whole table") {
  FakeServices s;
  Replies r;
  HandleRequestLine(s, 1, R"({"id": 1, "cmd": "hello"})", r.respond);
  REQUIRE(r.all.size() == 1);
  CHECK(r.all[0].ok);
  CHECK(r.all[0].id == 1);
  CHECK(r.all[0].result["protocol_version"] == 1);
  size_t n = 0;
  DaemonCommandTable(&n);
  CHECK(n == 8);
  CHECK(r.all[0].result["commands"].size() == n);
}

TEST_CASE("garbage and unknown commands get error replies, with the id when readable") {
  FakeServices s;
  Replies r;
  HandleRequestLine(s, 1, "this is not json", r.respond);
  HandleRequestLine(s, 1, R"({"id": "x7", "cmd": "frobnicate"})", r.respond);
  HandleRequestLine(s, 1, R"({"id": 9, "cmd": "findings", "args": {"since": "yesterday"}})",
                    r.respond);
  HandleRequestLine(s, 1, R"({"id": 10, "cmd": "status", "args": []})", r.respond);
  REQUIRE(r.all.size() == 4);
  CHECK(r.all[0].error_code == "bad_request");
  CHECK(r.all[0].id.is_null());
  CHECK(r.all[1].error_code == "unknown_command");
  CHECK(r.all[1].id == "x7");
  CHECK(r.all[2].error_code == "bad_request");
  CHECK(r.all[2].id == 9);
  CHECK(r.all[3].error_code == "bad_request");
}

TEST_CASE("report, findings since a cursor, status") {
  FakeServices s;
  FsEvent u;
  u.seq = 1;
  u.kind = EventKind::kUnwatched;
  u.path = "deep";
  u.detail = "not watched";
  s.store_.Consume(u);
  Replies r;
  HandleRequestLine(s, 1, R"({"id": 1, "cmd": "report"})", r.respond);
  HandleRequestLine(s, 1, R"({"id": 2, "cmd": "findings", "args": {"since": 0}})", r.respond);
  const std::string later = R"({"id": 3, "cmd": "findings", "args": {"since": )" +
                            std::to_string(s.store_.revision()) + "}}";
  HandleRequestLine(s, 1, later, r.respond);
  HandleRequestLine(s, 1, R"({"id": 4, "cmd": "status"})", r.respond);
  REQUIRE(r.all.size() == 4);
  CHECK(r.all[0].result["report"]["complete"] == false);
  CHECK(r.all[0].result["report"]["schema"] == "modrace.report/1");
  CHECK(r.all[1].result["findings"].size() == 1);
  CHECK(r.all[2].result["findings"].empty());
  CHECK(r.all[3].result["watched_dirs"] == 3);
}

TEST_CASE("barrier and report --settle answer only when the barrier completes") {
  FakeServices s;
  Replies r;
  HandleRequestLine(s, 1, R"({"id": 5, "cmd": "barrier", "args": {"timeout_ms": 700}})",
                    r.respond);
  CHECK(r.all.empty());
  CHECK(s.barrier_timeout == 700);
  REQUIRE(s.pending_barrier);
  s.pending_barrier(true, "");
  REQUIRE(r.all.size() == 1);
  CHECK(r.all[0].ok);
  CHECK(r.all[0].id == 5);

  HandleRequestLine(s, 1, R"({"id": 6, "cmd": "report", "args": {"settle": true}})", r.respond);
  CHECK(r.all.size() == 1);
  s.pending_barrier(false, "barrier timed out");
  REQUIRE(r.all.size() == 2);
  CHECK_FALSE(r.all[1].ok);
  CHECK(r.all[1].error_code == "unavailable");
}

TEST_CASE("subscribe replies first, reset and shutdown reach the daemon") {
  FakeServices s;
  Replies r;
  HandleRequestLine(s, 42, R"({"id": 1, "cmd": "subscribe", "args": {"since": 3}})", r.respond);
  REQUIRE(r.all.size() == 1);
  CHECK(s.subscribed == std::vector<std::pair<uint64_t, uint64_t>>{{42, 3}});
  HandleRequestLine(s, 42, R"({"id": 2, "cmd": "reset"})", r.respond);
  HandleRequestLine(s, 42, R"({"id": 3, "cmd": "shutdown"})", r.respond);
  CHECK(s.resets == 1);
  CHECK(s.shutdowns == 1);
  CHECK(r.all.size() == 3);
}

}  // namespace modrace

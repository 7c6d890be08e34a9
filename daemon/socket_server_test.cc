// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/socket_server.h"

#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "common/daemon_client.h"
#include "daemon/test_loop.h"
#include "common/test_tree.h"
#include "proto/protocol.h"

namespace modrace {

namespace {

struct Server {
  explicit Server(ServerLimits limits) {
    signal(SIGPIPE, SIG_IGN);
    uv_loop_init(&loop);
    server = std::make_unique<SocketServer>(
        &loop, limits,
        [this](uint64_t client, std::string_view line) {
          last_client = client;
          lines.emplace_back(line);
          if (line == "ping") server->Send(client, "pong");
        },
        [this](uint64_t) { ++disconnects; });
    std::string error;
    path = "/tmp/modrace-sock-test-" + std::to_string(getpid()) + ".sock";
    REQUIRE_MESSAGE(server->Listen(path, &error), error);
  }
  ~Server() {
    server->Close();
    CHECK(DrainAndCloseLoop(&loop));
  }
  uv_loop_t loop;
  std::unique_ptr<SocketServer> server;
  std::string path;
  std::vector<std::string> lines;
  uint64_t last_client = 0;
  int disconnects = 0;
};

}  // namespace

TEST_CASE("lines in, replies out; an overlong line is answered and skipped") {
  ServerLimits limits;
  limits.max_line = 1000;
  Server s(limits);
  std::atomic<bool> done{false};
  std::string first, second, error;
  std::thread client([&] {
    DaemonClient c;
    if (c.Connect(s.path, &error) && c.SendLine(std::string(5000, 'x'), &error) &&
        c.ReadLine(&first, 10000, &error) && c.SendLine("ping", &error)) {
      c.ReadLine(&second, 10000, &error);
    }
    done = true;
  });
  CHECK(RunUntil(&s.loop, [&] { return done.load(); }));
  client.join();
  Reply reply;
  REQUIRE(ParseReply(first, &reply, &error));
  CHECK(reply.error_code == "line_too_long");
  CHECK(second == "pong");
  CHECK(s.lines == std::vector<std::string>{"ping"});
  CHECK(RunUntil(&s.loop, [&] { return s.disconnects == 1; }));
}

TEST_CASE("a subscriber that falls behind is told and dropped") {
  ServerLimits limits;
  limits.max_pending_output = 64 * 1024;
  Server s(limits);
  std::atomic<bool> connected{false}, may_read{false}, done{false};
  std::vector<std::string> got;
  std::string error;
  std::thread client([&] {
    DaemonClient c;
    if (c.Connect(s.path, &error) && c.SendLine("subscribe", &error)) {
      connected = true;
      while (!may_read) std::this_thread::yield();
      std::string line;
      while (c.ReadLine(&line, 10000, &error)) got.push_back(line.size() > 1000 ? "big" : line);
    }
    done = true;
  });
  REQUIRE(RunUntil(&s.loop, [&] { return !s.lines.empty(); }));
  const std::string big(16 * 1024, 'f');
  int sent = 0;
  while (s.server->SendStream(s.last_client, R"({"event":"finding","x":")" + big + "\"}")) {
    ++sent;
    REQUIRE(sent < 10000);
  }
  CHECK(sent > 0);
  CHECK_FALSE(s.server->SendStream(s.last_client, "{}"));  // gone for good
  may_read = true;
  CHECK(RunUntil(&s.loop, [&] { return done.load(); }));
  client.join();
  REQUIRE(!got.empty());
  CHECK(got.back().find("\"dropped\"") != std::string::npos);
  CHECK(static_cast<int>(got.size()) == sent + 1);
  CHECK(error.find("closed") != std::string::npos);
}

TEST_CASE("a stale socket file is replaced, a live one is refused") {
  ServerLimits limits;
  Server s(limits);
  uv_loop_t loop2;
  uv_loop_init(&loop2);
  {
    SocketServer other(&loop2, limits, [](uint64_t, std::string_view) {});
    std::string error;
    CHECK_FALSE(other.Listen(s.path, &error));
    CHECK(error.find("another daemon") != std::string::npos);
  }
  CHECK(DrainAndCloseLoop(&loop2));
}

}  // namespace modrace

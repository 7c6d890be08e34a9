// SPDX-License-Identifier: GPL-2.0-only
// The Daemon in-process, for what needs a hook into it: the watch limit by
// an injected ENOSPC (lowering fs.inotify.max_user_watches would hit every
// other inotify user of the machine).

#include "daemon/daemon.h"

#include <errno.h>
#include <string.h>
#include <sys/inotify.h>

#include <atomic>
#include <thread>

#include <doctest/doctest.h>

#include "common/daemon_client.h"
#include "daemon/test_loop.h"
#include "common/test_tree.h"

namespace modrace {

TEST_CASE("watch limit: keep running, name the unwatched directories and the sysctl") {
  TestTree tree;
  tree.Write("ok/a.mod", "ok/a.o\n");
  tree.Write("big/b.mod", "big/b.o\n");
  tree.Write("big/sub/c.mod", "big/sub/c.o\n");
  uv_loop_t loop;
  uv_loop_init(&loop);
  DaemonOptions options;
  options.root = tree.root();
  options.backend = "inotify";  // the watch-limit hook is inotify's
  options.socket_path = "/tmp/modrace-daemon-test-" + std::to_string(getpid()) + ".sock";
  options.add_watch = [](int fd, const char* path, uint32_t mask) {
    if (strstr(path, "/big") != nullptr) {
      errno = ENOSPC;
      return -1;
    }
    return inotify_add_watch(fd, path, mask);
  };
  auto daemon = std::make_unique<Daemon>(&loop, options);
  std::string error;
  REQUIRE_MESSAGE(daemon->Start(&error) == kDaemonOk, error);

  std::atomic<bool> done{false};
  Reply report, status, after_reset, barrier;
  std::thread client([&] {
    DaemonClient c;
    if (c.Connect(daemon->socket_path(), &error)) {
      tree.Write("ok/a.mod", "ok/a.o\n");
      c.Call("barrier", {}, &barrier, &error);
      c.Call("report", {}, &report, &error);
      c.Call("status", {}, &status, &error);
      c.Call("reset", {}, &after_reset, &error);
      c.Call("report", {}, &after_reset, &error);
    }
    done = true;
  });
  CHECK(RunUntil(&loop, [&] { return done.load(); }, 20000));
  client.join();
  CHECK(barrier.ok);
  REQUIRE(report.ok);
  const nlohmann::json& r = report.result["report"];
  CHECK(r["complete"] == false);
  CHECK(r["coverage"]["unwatched_dirs"] == 2);
  bool named = false;
  for (const auto& f : r["findings"]) {
    if (f["kind"] == "coverage_gap" &&
        f.dump().find("fs.inotify.max_user_watches") != std::string::npos) {
      named = true;
    }
  }
  CHECK(named);
  CHECK(status.result["unwatched_dirs"] == 2);
  CHECK(status.result["watched_dirs"] == 2);
  // A reset does not hide the gap: it is still there.
  CHECK(after_reset.result["report"]["complete"] == false);
  daemon->Stop();
  daemon.reset();
  CHECK(DrainAndCloseLoop(&loop));
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
// ExecListener on the real process connector (root): every exec of a child
// is seen, and where the kernel filters (Linux 6.6+) nothing but execs
// reaches the daemon: the children's forks and exits never do.

#include "daemon/exec_listener.h"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include <map>
#include <set>
#include <string>

#include "daemon/test_loop.h"

namespace modrace {

TEST_CASE("ExecListener: the children's execs, and only execs where the kernel filters") {
  if (geteuid() != 0) {
    MESSAGE("SKIPPED: the process connector needs root (CAP_NET_ADMIN)");
    return;
  }
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  std::set<int32_t> seen;
  ExecListener listener(&loop, [&](int32_t tgid) { seen.insert(tgid); });
  std::string error;
  REQUIRE_MESSAGE(listener.Start(&error), error);
  std::set<int32_t> kids;
  for (int i = 0; i < 10; ++i) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      execl("/bin/true", "true", static_cast<char*>(nullptr));
      _exit(127);
    }
    kids.insert(pid);
  }
  for (pid_t pid : kids) {
    int status = 0;
    waitpid(pid, &status, 0);
  }
  CHECK(RunUntil(&loop, [&] {
    for (int32_t k : kids) {
      if (!seen.count(k)) return false;
    }
    return true;
  }));
  MESSAGE("filtered by the kernel: " << listener.filtered() << "; other messages read: "
                                     << listener.others());
  // Ten forks and ten exits happened beside the execs: filtered, none came.
  if (listener.filtered()) CHECK(listener.others() == 0);
  listener.Close();
  CHECK(DrainAndCloseLoop(&loop));
}

TEST_CASE("ExecListener: forks name the parent; Drain reads them without the loop") {
  if (geteuid() != 0) {
    MESSAGE("SKIPPED: the process connector needs root (CAP_NET_ADMIN)");
    return;
  }
  uv_loop_t loop;
  REQUIRE(uv_loop_init(&loop) == 0);
  std::map<int32_t, int32_t> parent_of;
  ExecListener listener(
      &loop, [](int32_t) {}, [&](int32_t parent, int32_t child) { parent_of[child] = parent; });
  std::string error;
  REQUIRE_MESSAGE(listener.Start(&error), error);
  // Children that exit at once, without an exec: nothing of them is left in
  // /proc, only their forks tell who they were.
  std::set<pid_t> kids;
  for (int i = 0; i < 10; ++i) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) _exit(0);
    kids.insert(pid);
  }
  for (pid_t pid : kids) {
    int status = 0;
    waitpid(pid, &status, 0);
  }
  // The kernel queues a fork's message before fork() returns.
  listener.Drain();
  for (pid_t pid : kids) {
    CHECK(parent_of.count(pid) == 1);
    if (parent_of.count(pid)) CHECK(parent_of[pid] == getpid());
  }
  CHECK(listener.forks() >= kids.size());
  listener.Close();
  CHECK(DrainAndCloseLoop(&loop));
}

}  // namespace modrace

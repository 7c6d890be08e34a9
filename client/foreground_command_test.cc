// SPDX-License-Identifier: GPL-2.0-only
#include "client/foreground_command.h"

#include <doctest/doctest.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <vector>

#include "client/elapsed_time.h"

namespace modrace {

TEST_CASE("RunForegroundCommand: exit codes, signals, commands that cannot run") {
  CHECK(RunForegroundCommand({"true"}, 0, nullptr).status == 0);
  const ForegroundResult seven = RunShellCommand("exit 7");
  CHECK(seven.started);
  CHECK(seven.status == 7);
  CHECK(RunShellCommand("kill -KILL $$").status == 128 + 9);
  const ForegroundResult missing = RunForegroundCommand({"/nonexistent/build"}, 0, nullptr);
  CHECK_FALSE(missing.started);
  CHECK(missing.status == 127);
  CHECK(missing.error.find("/nonexistent/build") != std::string::npos);
  CHECK_FALSE(RunForegroundCommand({}, 0, nullptr).started);
  // There but not executable: 126, as a shell says.
  char file[] = "/tmp/modrace-fg-noexec-XXXXXX";  // mode 0600
  const int fd = mkstemp(file);
  REQUIRE(fd >= 0);
  close(fd);
  const ForegroundResult not_exec = RunForegroundCommand({file}, 0, nullptr);
  remove(file);
  CHECK_FALSE(not_exec.started);
  CHECK(not_exec.status == 126);
}

TEST_CASE("RunForegroundCommand leaks no fd when its second pipe cannot be made") {
  // Fill the fd table but two slots: the first pipe fits, the second not.
  struct rlimit old;
  REQUIRE(getrlimit(RLIMIT_NOFILE, &old) == 0);
  struct rlimit low = old;
  low.rlim_cur = 64;
  REQUIRE(setrlimit(RLIMIT_NOFILE, &low) == 0);
  std::vector<int> fillers;
  for (int fd; (fd = dup(STDERR_FILENO)) >= 0;) fillers.push_back(fd);
  CHECK(errno == EMFILE);
  REQUIRE(fillers.size() >= 2);
  for (int i = 0; i < 2; ++i) {
    close(fillers.back());
    fillers.pop_back();
  }
  const ForegroundResult r = RunForegroundCommand({"true"}, 0, nullptr);
  // Both slots are free again: the first pipe was closed.
  const int a = dup(STDERR_FILENO);
  const int b = dup(STDERR_FILENO);
  for (int fd : {a, b}) {
    if (fd >= 0) close(fd);
  }
  for (int fd : fillers) close(fd);
  REQUIRE(setrlimit(RLIMIT_NOFILE, &old) == 0);
  CHECK_FALSE(r.started);
  CHECK(r.error.find("pipe: ") == 0);
  CHECK(a >= 0);
  CHECK(b >= 0);
}

TEST_CASE("DescribeBuild: the build half of run's last line") {
  ForegroundResult r;
  r.started = true;
  CHECK(DescribeBuild(r) == "build succeeded");
  r.status = 2;
  CHECK(DescribeBuild(r) == "build failed (exit 2)");
  r.status = 128 + 9;
  CHECK(DescribeBuild(r) == "build killed by signal 9 (SIGKILL)");
  r.started = false;
  r.status = 127;
  CHECK(DescribeBuild(r) == "build did not start (exit 127)");
}

TEST_CASE("RunForegroundCommand ticks while the command runs") {
  int ticks = 0;
  // The command waits on a FIFO-less condition: it ends once modrace has
  // ticked, which it learns from a file the tick writes.
  char tmpl[] = "/tmp/modrace-fg-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const std::string flag = std::string(tmpl) + "/ticked";
  const ForegroundResult r = RunForegroundCommand(
      {"/bin/sh", "-c", "while [ ! -e '" + flag + "' ]; do sleep 0.01; done"}, 20, [&] {
        if (++ticks == 2) {
          FILE* f = fopen(flag.c_str(), "w");
          if (f != nullptr) fclose(f);
        }
      });
  CHECK(r.status == 0);
  CHECK(ticks >= 2);
  remove(flag.c_str());
  remove(tmpl);
}

TEST_CASE("DescribeStatus and FormatElapsed read well") {
  CHECK(DescribeStatus(0) == "exit 0");
  CHECK(DescribeStatus(2) == "exit 2");
  CHECK(DescribeStatus(130) == "killed by signal 2 (SIGINT)");
  CHECK(FormatElapsed(1.25) == "1.2 s");
  CHECK(FormatElapsed(125) == "2 min 05 s");
}

}  // namespace modrace

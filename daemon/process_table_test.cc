// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/process_table.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include <doctest/doctest.h>

#include "common/test_tree.h"

namespace modrace {

namespace {

constexpr int64_t kMs = 1000 * 1000;

// A fake /proc: one directory per pid with `stat` and `cmdline`.
struct FakeProc {
  TestTree tree;
  void Add(int pid, const std::string& comm, int ppid, uint64_t start,
           const std::string& cmdline_with_nuls) const {
    // Fields 3..22: state ppid pgrp session tty_nr tpgid flags minflt cminflt
    // majflt cmajflt utime stime cutime cstime priority nice num_threads
    // itrealvalue starttime, then more.
    tree.Write(std::to_string(pid) + "/stat",
               std::to_string(pid) + " (" + comm + ") S " + std::to_string(ppid) +
                   " 1 1 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 " + std::to_string(start) +
                   " 1000 100 18446744073709551615 0 0 0\n");
    tree.Write(std::to_string(pid) + "/cmdline", cmdline_with_nuls);
  }
  void Remove(int pid) const { RemoveTree(tree.Abs(std::to_string(pid))); }
  ProcessTableOptions Options() const {
    ProcessTableOptions o;
    o.proc_root = tree.root();
    return o;
  }
};

std::string Nuls(std::string s) {
  for (char& c : s) {
    if (c == '|') c = '\0';
  }
  return s;
}

}  // namespace

TEST_CASE("ParseProcStat: comm with spaces and parentheses, ppid and field 22") {
  ProcStat st;
  REQUIRE(ParseProcStat("42 (a) b (c)) S 7 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 987654 0 0\n", &st));
  CHECK(st.comm == "a) b (c)");
  CHECK(st.ppid == 7);
  CHECK(st.start_time == 987654u);
  CHECK(st.state == 'S');
  CHECK_FALSE(ParseProcStat("42 (x) S 7 1", &st));
  CHECK_FALSE(ParseProcStat("garbage", &st));
}

TEST_CASE("IsMakeComm") {
  CHECK(IsMakeComm("make"));
  CHECK(IsMakeComm("gmake"));
  CHECK(IsMakeComm("make-4.3"));
  CHECK_FALSE(IsMakeComm("cmake"));
  CHECK_FALSE(IsMakeComm("sh"));
}

TEST_CASE("ProcessTable: comm, cmdline and the parent chain up to the nearest make") {
  FakeProc proc;
  proc.Add(1, "init", 0, 1, Nuls("/sbin/init|"));
  proc.Add(100, "make", 1, 50, Nuls("make|-j80|"));
  proc.Add(200, "make", 100, 60, Nuls("make|-f|scripts/Makefile.build|obj=drivers/net/phy|"));
  proc.Add(300, "sh", 200, 70, Nuls("/bin/sh|-c|{ echo drivers/net/phy/asix.ko; } > .tmp_versions/asix.mod|"));
  proc.Add(400, "gcc", 300, 80, Nuls("gcc|-c|asix.c|"));
  ProcessTable table(proc.Options());

  const ProcessInfo sh = *table.Lookup(300, 0);
  CHECK(sh.pid == 300);
  CHECK(sh.start_time == 70u);
  CHECK(sh.comm == "sh");
  CHECK(sh.cmdline == "/bin/sh -c { echo drivers/net/phy/asix.ko; } > .tmp_versions/asix.mod");
  // Up to and including the nearest make (the sub-make), not the top make.
  REQUIRE(sh.ancestors == std::vector<int32_t>{200});
  CHECK(sh.ancestor_cmdlines[0] == "make -f scripts/Makefile.build obj=drivers/net/phy");

  const ProcessInfo gcc = *table.Lookup(400, 0);
  CHECK(gcc.ancestors == std::vector<int32_t>{300, 200});
  CHECK(gcc.ancestor_cmdlines.size() == 2);

  // A make's own chain goes on to the make above it; the top one stops:
  // nothing above the outermost make is named.
  CHECK(table.Lookup(200, 0)->ancestors == std::vector<int32_t>{100});
  CHECK(table.Lookup(100, 0)->ancestors.empty());
  CHECK(table.Lookup(1, 0)->ancestors.empty());
}

TEST_CASE("ProcessTable: jobs are rooted at a make's child; makes are no job") {
  FakeProc proc;
  proc.Add(1, "init", 0, 1, Nuls("/sbin/init|"));
  proc.Add(100, "make", 1, 50, Nuls("make|-j80|"));
  proc.Add(150, "sh", 100, 55, Nuls("/bin/sh|-c|make -f scripts/Makefile.build obj=a|"));
  proc.Add(200, "make", 150, 60, Nuls("make|-f|scripts/Makefile.build|obj=a|"));
  proc.Add(300, "sh", 200, 70, Nuls("/bin/sh|-c|gcc -c a/x.c|"));
  proc.Add(400, "gcc", 300, 80, Nuls("gcc|-c|a/x.c|"));
  ProcessTable table(proc.Options());
  const ProcessInfo gcc = *table.Lookup(400, 0);
  CHECK(gcc.job_pid == 300);
  CHECK(gcc.job_start_time == 70u);
  CHECK(gcc.make_start_time == 60u);
  CHECK(gcc.top_make_pid == 100);
  CHECK(gcc.top_make_start_time == 50u);
  const ProcessInfo sub = *table.Lookup(200, 0);
  CHECK(sub.job_pid == 0);  // a make is no job, even inside its parent's recipe
  CHECK(sub.top_make_pid == 100);
  CHECK(sub.ancestors == std::vector<int32_t>{150, 100});
  const ProcessInfo top = *table.Lookup(100, 0);
  CHECK(top.job_pid == 0);
  CHECK(top.top_make_pid == 100);
  const ProcessInfo recipe = *table.Lookup(150, 0);
  CHECK(recipe.job_pid == 150);
  CHECK(recipe.top_make_pid == 100);
}

TEST_CASE("ProcessTable: no make above: no ancestors (nothing above the build)") {
  FakeProc proc;
  proc.Add(1, "init", 0, 1, Nuls("/sbin/init|"));
  proc.Add(10, "runner", 1, 5, Nuls("ci-runner|--token=SECRET|"));
  proc.Add(20, "sh", 10, 6, Nuls("sh|build.sh|"));
  proc.Add(30, "cp", 20, 7, Nuls("cp|a|b|"));
  ProcessTable table(proc.Options());
  const ProcessInfo cp = *table.Lookup(30, 0);
  CHECK(cp.cmdline == "cp a b");
  CHECK(cp.ancestors.empty());
  CHECK(cp.ancestor_cmdlines.empty());
  CHECK(cp.job_pid == 0);
}

TEST_CASE("ProcessTable: with build_parent, the chain stops at the command it started") {
  FakeProc proc;
  proc.Add(1, "init", 0, 1, Nuls("/sbin/init|"));
  proc.Add(5, "make", 1, 2, Nuls("make|ci|SECRET_ABOVE|"));  // a make above the build
  proc.Add(10, "sh", 5, 3, Nuls("sh|-c|ci-script SECRET_ABOVE|"));
  proc.Add(20, "modrace", 10, 4, Nuls("modrace|run|--|sh|build.sh|"));
  proc.Add(30, "sh", 20, 5, Nuls("sh|build.sh|"));
  proc.Add(40, "cp", 30, 6, Nuls("cp|a|b|"));
  proc.Add(50, "make", 30, 7, Nuls("make|-j2|"));
  proc.Add(60, "sh", 50, 8, Nuls("/bin/sh|-c|cc -c x.c|"));
  proc.Add(99, "vim", 10, 9, Nuls("vim|SECRET_ABOVE|"));
  ProcessTableOptions o = proc.Options();
  o.build_parent = 20;
  ProcessTable table(o);
  const ProcessInfo cp = *table.Lookup(40, 0);
  CHECK(cp.cmdline == "cp a b");
  CHECK(cp.ancestors == std::vector<int32_t>{30});
  CHECK(cp.ancestor_cmdlines == std::vector<std::string>{"sh build.sh"});
  CHECK(cp.job_pid == 0);
  CHECK(cp.top_make_pid == 0);  // the make above the build is not the build's
  const ProcessInfo root = *table.Lookup(30, 0);
  CHECK(root.ancestors.empty());
  const ProcessInfo job = *table.Lookup(60, 0);
  CHECK(job.ancestors == std::vector<int32_t>{50});
  CHECK(job.job_pid == 60);
  CHECK(job.top_make_pid == 50);
  // The client itself and whatever is not below it: pid alone.
  for (int pid : {20, 10, 5, 99}) {
    const ProcessInfo p = *table.Lookup(pid, 0);
    CAPTURE(pid);
    CHECK(p.pid == pid);
    CHECK(p.cmdline.empty());
    CHECK(p.comm.empty());
    CHECK(p.ancestors.empty());
  }
}

TEST_CASE("ProcessTable: one /proc read per new pid, not per event") {
  FakeProc proc;
  proc.Add(1, "init", 0, 1, "init");
  proc.Add(10, "make", 1, 5, "make");
  proc.Add(11, "sh", 10, 6, "sh");
  ProcessTable table(proc.Options());
  table.Lookup(11, 0);
  const uint64_t reads = table.stat_reads();
  CHECK(reads == 3);  // sh, make, init
  for (int i = 0; i < 100; ++i) table.Lookup(11, i * 1000);
  CHECK(table.stat_reads() == reads);
  CHECK(table.hits() >= 100);
  // A sibling under the same make reads only itself.
  proc.Add(12, "sh", 10, 7, "sh");
  table.Lookup(12, 0);
  CHECK(table.stat_reads() == reads + 1);
}

TEST_CASE("ProcessTable: an exited process keeps what the cache had") {
  FakeProc proc;
  proc.Add(1, "init", 0, 1, "init");
  proc.Add(20, "sh", 1, 9, Nuls("sh|-c|echo hi > x|"));
  ProcessTable table(proc.Options());
  CHECK(table.Lookup(20, 0)->cmdline == "sh -c echo hi > x");
  proc.Remove(20);
  const ProcessInfo later = *table.Lookup(20, 10 * 1000 * kMs);  // revalidates: gone
  CHECK(later.comm == "sh");
  CHECK(later.cmdline == "sh -c echo hi > x");

  // Never seen alive: the pid alone.
  const ProcessInfo unknown = *table.Lookup(999, 0);
  CHECK(unknown.pid == 999);
  CHECK(unknown.comm.empty());
  CHECK(unknown.start_time == 0u);
}

TEST_CASE("ProcessTable: a reused pid is a new process (start time differs)") {
  FakeProc proc;
  proc.Add(1, "init", 0, 1, "init");
  proc.Add(30, "sh", 1, 100, "first");
  ProcessTable table(proc.Options());
  CHECK(table.Lookup(30, 0)->cmdline == "first");
  proc.Add(30, "cc1", 1, 200, "second");
  // Within the revalidation window the cache answers (no /proc read).
  CHECK(table.Lookup(30, 1 * kMs)->cmdline == "first");
  // After it, the stat is read again and the new start time wins.
  const ProcessInfo now = *table.Lookup(30, 1000 * kMs);
  CHECK(now.cmdline == "second");
  CHECK(now.comm == "cc1");
  CHECK(now.start_time == 200u);
  CHECK(table.reused_pids() == 1);
  // Same start time after the window: kept, nothing re-read but the stat.
  const uint64_t reads = table.stat_reads();
  CHECK(table.Lookup(30, 2000 * kMs)->cmdline == "second");
  CHECK(table.stat_reads() == reads + 1);
}

TEST_CASE("ProcessTable: an exec (same pid and start time, new comm) is read afresh") {
  FakeProc proc;
  proc.Add(1, "init", 0, 1, "init");
  proc.Add(40, "sh", 1, 100, "sh -c exec gcc");
  ProcessTable table(proc.Options());
  CHECK(table.Lookup(40, 0)->comm == "sh");
  proc.Add(40, "gcc", 1, 100, "gcc -c x.c");
  // Seen by revalidation: the comm changed.
  CHECK(table.Lookup(40, 1000 * kMs)->cmdline == "gcc -c x.c");
  CHECK(table.reused_pids() == 0);
  // Seen at once through Refresh (the exec listener), even with the same
  // comm and inside the cache window.
  proc.Add(40, "gcc", 1, 100, "gcc -c y.c");
  table.Refresh(40, 1001 * kMs);
  CHECK(table.Lookup(40, 1002 * kMs)->cmdline == "gcc -c y.c");
  // A zombie (no cmdline any more) does not overwrite the living read.
  proc.tree.Write("40/stat", "40 (gcc) Z 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0\n");
  proc.tree.Write("40/cmdline", "");
  table.Refresh(40, 1003 * kMs);
  CHECK(table.Lookup(40, 1003 * kMs)->cmdline == "gcc -c y.c");
  // Refresh of a process already gone keeps what was cached.
  proc.Remove(40);
  table.Refresh(40, 1003 * kMs);
  CHECK(table.Lookup(40, 1004 * kMs)->cmdline == "gcc -c y.c");
}

TEST_CASE("ProcessTable: bounded, least recently used evicted first") {
  FakeProc proc;
  proc.Add(1, "init", 0, 1, "init");
  for (int pid = 50; pid < 60; ++pid) proc.Add(pid, "sh", 1, pid, "sh");
  ProcessTableOptions o = proc.Options();
  o.capacity = 4;
  ProcessTable table(o);
  for (int pid = 50; pid < 60; ++pid) table.Lookup(pid, 0);
  CHECK(table.size() <= 4);
  CHECK(table.evictions() >= 6);
  // Evicted and gone: only the pid is left to say.
  proc.Remove(50);
  CHECK(table.Lookup(50, 0)->comm.empty());
}

TEST_CASE("ProcessTable: a process gone before its first lookup joins its parent's job") {
  // A recipe's subshell (`( ... ) > f`, a pipeline's side) forks, writes
  // and exits before its first event is read: /proc has nothing of it, but
  // the fork (ExecListener) said whose child it was.
  FakeProc proc;
  proc.Add(1, "init", 0, 1, "init");
  proc.Add(100, "make", 1, 50, Nuls("make|-j2|"));
  proc.Add(300, "sh", 100, 70, Nuls("/bin/sh|-c|gcc -c x.c -o x.o|"));
  ProcessTable table(proc.Options());
  table.NoteFork(300, 310);
  const ProcessInfo sub = *table.Lookup(310, 0);
  CHECK(sub.pid == 310);
  CHECK(sub.job_pid == 300);
  CHECK(sub.job_start_time == 70u);
  CHECK(sub.top_make_pid == 100);
  CHECK(sub.ancestors == std::vector<int32_t>{300, 100});
  CHECK(sub.ancestor_cmdlines.front() == "/bin/sh -c gcc -c x.c -o x.o");
  CHECK(sub.comm.empty());  // it may have exec'd: its own name is unknown
  CHECK(table.unnamed() == 0);

  // A make's child gone unread is a job of its own, its recipe unknown.
  table.NoteFork(100, 320);
  const ProcessInfo job = *table.Lookup(320, 0);
  CHECK(job.job_pid == 320);
  CHECK(job.top_make_pid == 100);
  CHECK(job.cmdline.empty());

  // Neither in /proc nor forked where the table saw it: the pid alone.
  const ProcessInfo unknown = *table.Lookup(999, 0);
  CHECK(unknown.job_pid == 0);
  CHECK(unknown.ancestors.empty());
  CHECK(table.unnamed() == 1);
}

TEST_CASE("ProcessTable: a fork drops what was cached of the pid's earlier process") {
  FakeProc proc;
  proc.Add(1, "init", 0, 1, "init");
  proc.Add(100, "make", 1, 50, Nuls("make|-j2|"));
  proc.Add(30, "cc1", 1, 20, "old");
  ProcessTable table(proc.Options());
  CHECK(table.Lookup(30, 0)->cmdline == "old");
  proc.Remove(30);
  // pid 30 is reused by a child of make that exits before it is read.
  table.NoteFork(100, 30);
  const ProcessInfo now = *table.Lookup(30, 1 * kMs);  // within the cache window
  CHECK(now.cmdline.empty());
  CHECK(now.job_pid == 30);
  CHECK(now.top_make_pid == 100);
}

TEST_CASE("ProcessTable: the forks kept are bounded") {
  FakeProc proc;
  proc.Add(1, "init", 0, 1, "init");
  proc.Add(100, "make", 1, 50, Nuls("make|"));
  ProcessTableOptions o = proc.Options();
  o.capacity = 2;
  ProcessTable table(o);
  for (int pid = 1000; pid < 1100; ++pid) table.NoteFork(100, pid);
  CHECK(table.forks_kept() <= 4 * o.capacity);
  CHECK(table.Lookup(1099, 0)->job_pid == 1099);  // the newest are kept
  CHECK(table.Lookup(1000, 0)->job_pid == 0);     // the oldest forgotten
}

TEST_CASE("ProcessTable: the real /proc names this test and a live child") {
  // This test is the build: its parent what started it.
  ProcessTableOptions options;
  options.build_parent = getppid();
  ProcessTable table(options);
  const ProcessInfo self = *table.Lookup(getpid(), 0);
  CHECK(self.pid == getpid());
  CHECK(self.start_time > 0u);
  CHECK(self.cmdline.find("process_table_test") != std::string::npos);
  CHECK(self.ancestors.empty());  // nothing above the build
  CHECK(table.Lookup(getppid(), 0)->cmdline.empty());

  int go[2];
  REQUIRE(pipe(go) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    dup2(go[0], 0);
    close(go[1]);
    const int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd >= 0) dup2(null_fd, 1);
    execl("/bin/sh", "sh", "-c", "read x; echo child-marker", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(go[0]);
  // The child is alive until it reads a line; poll until it has exec'd.
  // A lookup reads stat, then cmdline: an exec between the two gives the
  // old comm with the new command line, so wait until both show the exec.
  ProcessInfo info;
  for (int i = 0; i < 10000; ++i) {
    ProcessTable fresh(options);
    info = *fresh.Lookup(child, 0);
    if (info.comm == "sh" && info.cmdline.find("child-marker") != std::string::npos) break;
    usleep(1000);  // waiting for exec, not for an event
  }
  CHECK(info.comm == "sh");
  CHECK(info.cmdline == "sh -c read x; echo child-marker");
  REQUIRE_FALSE(info.ancestors.empty());
  CHECK(info.ancestors[0] == getpid());
  CHECK(write(go[1], "\n", 1) == 1);
  close(go[1]);
  int status = 0;
  waitpid(child, &status, 0);
}

}  // namespace modrace

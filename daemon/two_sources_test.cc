// SPDX-License-Identifier: GPL-2.0-only
// The fanotify backend's two sources against the real modraced: while the
// daemon cannot read, fanotify merges each process's queued events on a
// file into one record, so two overlapping writers look sequential on the
// fanotify side; inotify beside it keeps their order, proves the overlap,
// and fanotify's records name both processes in the finding.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "daemon/modraced_process.h"
#include "proto/fs_event.h"

namespace modrace {

namespace {

// Waits until `pid` is stopped (state T in /proc/PID/stat): kill(SIGSTOP)
// returns before the process has stopped reading.
bool WaitStopped(pid_t pid) {
  const int64_t deadline = NowMs() + 10000;
  while (NowMs() < deadline) {
    const std::string stat = Slurp("/proc/" + std::to_string(pid) + "/stat");
    const size_t paren = stat.rfind(')');
    if (paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'T') {
      return true;
    }
    usleep(1000);  // polling a state with a deadline, not standing in for a flush
  }
  return false;
}

// One step of a writer child: wait for a byte on `in`, act, answer on `out`.
struct Steps {
  int in[2];
  int out[2];
  Steps() {
    REQUIRE(pipe(in) == 0);
    REQUIRE(pipe(out) == 0);
  }
  void Go() {
    char c = 'g';
    REQUIRE(write(in[1], &c, 1) == 1);
    REQUIRE(read(out[0], &c, 1) == 1);
    REQUIRE(c == 'k');
  }
  // In the child.
  bool Wait() {
    char c;
    return read(in[0], &c, 1) == 1;
  }
  bool Done() {
    char c = 'k';
    return write(out[1], &c, 1) == 1;
  }
};

// A writer child doing, one step per Go(): open (O_TRUNC), write, write,
// close. Distinct steps make distinct inotify events (the kernel merges
// only an event identical to the last one queued).
pid_t StartWriter(const std::string& path, const std::string& text, Steps& s) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid != 0) return pid;
  int fd = -1;
  if (!s.Wait()) _exit(1);
  fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || !s.Done() || !s.Wait()) _exit(1);
  if (write(fd, text.data(), text.size() / 2) < 0 || !s.Done() || !s.Wait()) _exit(1);
  if (write(fd, text.data() + text.size() / 2, text.size() - text.size() / 2) < 0 ||
      !s.Done() || !s.Wait()) {
    _exit(1);
  }
  close(fd);
  _exit(s.Done() ? 0 : 1);
}

}  // namespace

TEST_CASE("writers fanotify merged while the daemon was stopped: inotify proves it, both named") {
  if (Inotify()) {
    MESSAGE("SKIPPED: this is about the fanotify backend's two sources");
    return;
  }
  if (BackendUnavailable()) return;
  Running r([](const TestTree& t) { t.Mkdir(".tmp_versions"); });
  const std::string rel = ".tmp_versions/asix.mod";
  const std::string path = r.tree.Abs(rel);
  r.daemon.Signal(SIGSTOP);
  REQUIRE(WaitStopped(r.daemon.pid()));

  Steps a, b;
  const pid_t pa = StartWriter(path, "drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\n\n", a);
  const pid_t pb = StartWriter(path, "drivers/net/usb/asix.ko\ndrivers/net/usb/asix.o\n\n", b);
  a.Go();  // A opens
  a.Go();  // A writes
  b.Go();  // B opens while A has it open
  b.Go();  // B writes
  a.Go();  // A writes again
  a.Go();  // A closes
  b.Go();  // B writes again
  b.Go();  // B closes
  for (pid_t p : {pa, pb}) {
    int status = 0;
    REQUIRE(waitpid(p, &status, 0) == p);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  r.daemon.Signal(SIGCONT);
  r.Barrier();
  const Report report = r.GetReport();
  CHECK(report.backend == "fanotify");

  // The test exercised the merge: on the fanotify side A's whole write came
  // before B's first event.
  std::ifstream record(r.record);
  std::string line;
  uint64_t a_close = 0, b_first = 0;
  EventLineReader reader;
  while (std::getline(record, line)) {
    FsEvent e;
    std::string error;
    if (!reader.Parse(line, &e, &error) || !e.names_only || e.path != rel || !e.process) continue;
    if (e.process->pid == pa && e.kind == EventKind::kCloseWrite) a_close = e.seq;
    if (e.process->pid == pb && b_first == 0) b_first = e.seq;
  }
  REQUIRE(a_close != 0);
  REQUIRE(b_first != 0);
  CHECK_MESSAGE(a_close < b_first, "fanotify did not merge the writers' events (the daemon read "
                                   "between them): this run does not test what it means to");

  const Finding* found = nullptr;
  for (const auto& f : report.findings) {
    if (f.kind == FindingKind::kConcurrentWriters && f.paths == std::vector<std::string>{rel}) {
      found = &f;
    }
  }
  REQUIRE_MESSAGE(found != nullptr, "no concurrent_writers on " << rel);
  CHECK(found->confidence == Confidence::kCertain);
  std::set<int32_t> named;
  for (const auto& w : found->writers) {
    if (w.process) named.insert(w.process->pid);
  }
  CHECK(named == std::set<int32_t>{pa, pb});
  CHECK(found->message.find("pid " + std::to_string(pa)) != std::string::npos);
  CHECK(found->message.find("pid " + std::to_string(pb)) != std::string::npos);
}

}  // namespace modrace

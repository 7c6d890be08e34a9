// SPDX-License-Identifier: GPL-2.0-only
// End-to-end tests of the real modraced binary: real inotify on real temp
// trees, real sockets, real processes. Flushes are barriers, never sleeps.

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "common/daemon_client.h"
#include "daemon/modraced_process.h"
#include "common/test_tree.h"
#include "proto/bytes_json.h"
#include "proto/report.h"
#include "tests/schema_check.h"

namespace modrace {

namespace {

// Two child processes with `rel` open for writing at the same time: both
// open (O_TRUNC, like a shell '>'), then each writes its line and closes.
// `both_open` (may be null) runs while both handles are open, before
// either writes or closes.
void TwoConcurrentWriters(const TestTree& tree, const std::string& rel, const std::string& a,
                          const std::string& b, const std::function<void()>& both_open = nullptr) {
  int go[2][2], opened[2];
  REQUIRE(pipe(go[0]) == 0);
  REQUIRE(pipe(go[1]) == 0);
  REQUIRE(pipe(opened) == 0);
  std::vector<pid_t> kids;
  int k = 0;
  for (const std::string* text : {&a, &b}) {
    const int my_go = go[k++][0];
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      const int fd = open(tree.Abs(rel).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      char c = 'o';
      if (write(opened[1], &c, 1) != 1) _exit(1);
      if (read(my_go, &c, 1) != 1) _exit(1);  // wait until both are open
      if (write(fd, text->data(), text->size()) < 0) _exit(1);
      close(fd);
      _exit(fd >= 0 ? 0 : 1);
    }
    kids.push_back(pid);
  }
  char c;
  for (int i = 0; i < 2; ++i) REQUIRE(read(opened[0], &c, 1) == 1);
  if (both_open) both_open();
  // Both handles are open now. Let them finish one after the other.
  for (int i = 0; i < 2; ++i) {
    const pid_t kid = kids[i];
    REQUIRE(write(go[i][1], "g", 1) == 1);
    int status = 0;
    waitpid(kid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  for (auto& p : go) {
    close(p[0]);
    close(p[1]);
  }
  close(opened[0]);
  close(opened[1]);
}

long MaxQueuedEvents() {
  std::ifstream in("/proc/sys/fs/inotify/max_queued_events");
  long v = 16384;
  in >> v;
  return v;
}

// Opens and closes `path` `times` times: two inotify events each, none
// merged with the one before.
void ReadTimes(const std::string& path, long times) {
  for (long i = 0; i < times; ++i) {
    const int fd = open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
    REQUIRE(fd >= 0);
    close(fd);
  }
}

}  // namespace

TEST_CASE("a tree of more directories than the kernel queue holds events: ready, no overflow") {
  if (BackendUnavailable()) return;
  // The daemon's own listing queues four events a directory: read while
  // it lists (daemon/queue_reader.h), they never overflow.
  const long dirs = MaxQueuedEvents() / 4 + 2000;
  if (dirs > 60000) return;  // a raised sysctl: nothing to show
  Running r([dirs](const TestTree& t) {
    for (long i = 0; i < dirs; ++i) t.Mkdir("d" + std::to_string(i / 100) + "/" + std::to_string(i));
  });
  r.Barrier();
  Reply status = r.Call("status");
  CHECK(status.result["overflows"] == 0);
  CHECK(status.result["complete"] == true);
  const Report report = r.GetReport();
  CHECK(report.findings.empty());
  CHECK(report.statistics.rescans == 0);
}

TEST_CASE("the daemon stopped while the build goes on: one gap with its window, bounded rescans") {
  if (BackendUnavailable()) return;
  Running r([](const TestTree& t) {
    t.Mkdir("a");
    t.Mkdir("b");
    for (int i = 0; i < 200; ++i) t.Write("src/f" + std::to_string(i) + ".c", "");
    t.Write("src/header.h", "");
  });
  r.Barrier();
  // Stopped (SIGSTOP): nothing reads the kernel queue, which overflows.
  r.daemon.Signal(SIGSTOP);
  ReadTimes(r.tree.Abs("src/header.h"), MaxQueuedEvents());
  // A clash made in the lost window is found on disk after it.
  r.tree.Write("a/foo.mod", "a/foo.o\n");
  r.tree.Write("b/foo.mod", "b/foo.o\n");
  r.daemon.Signal(SIGCONT);
  r.Barrier();
  const Report report = r.GetReport();
  CHECK_FALSE(report.complete);
  CHECK(report.coverage.overflows >= 1);
  CHECK(report.statistics.rescans >= 1);
  CHECK(report.statistics.rescans <= 2);
  int gaps = 0;
  for (const auto& f : report.findings) {
    if (f.kind != FindingKind::kCoverageGap) continue;
    ++gaps;
    CHECK_MESSAGE(f.message.find("after watching began") != std::string::npos, f.message);
  }
  CHECK(gaps == 1);
  CHECK(Running::Has(report, FindingKind::kModuleNameCollision));
  // The rescan reports the artifacts, not one event per file (the record
  // holds every event the analyzer got).
  std::istringstream lines(Slurp(r.record));
  std::string line;
  bool lost = false;
  int rescanned = 0, rescanned_other = 0;
  while (std::getline(lines, line)) {
    const nlohmann::json j = nlohmann::json::parse(line);
    if (j.value("kind", "") == "overflow") lost = true;
    if (!lost || j.value("kind", "") != "existing") continue;
    const std::string path = j.value("path", "");
    if (path == "a/foo.mod" || path == "b/foo.mod") {
      ++rescanned;
    } else {
      ++rescanned_other;
      CAPTURE(path);
    }
  }
  CHECK(lost);
  CHECK(rescanned >= 2);
  CHECK(rescanned_other == 0);
}

TEST_CASE("hello, status and a clean report on an idle tree") {
  if (BackendUnavailable()) return;
  Running r([](const TestTree& t) { t.Write("drivers/net/phy/Makefile", "obj-m += asix.o\n"); });
  Reply hello = r.Call("hello");
  CHECK(hello.ok);
  CHECK(hello.result["daemon"] == "modraced");
  Reply status = r.Call("status");
  if (Inotify()) CHECK(status.result["watched_dirs"] == 4);
  CHECK(status.result["ready"] == true);
  // The fanotify source's traffic from outside the tree, with ignore marks
  // on this kernel (FAN_MARK_IGNORE: Linux 6.0).
  CHECK(status.result.contains("fanotify") == !Inotify());
  if (!Inotify()) CHECK(status.result["fanotify"]["ignoring_outside"].is_boolean());
  Report report = r.GetReport();
  CHECK(report.complete);
  CHECK(report.findings.empty());
  CHECK(report.backend == TestBackend());
  CHECK(SchemaCheck("proto/report.schema.json", DumpLine(nlohmann::json(report)) + "\n") == "");
}

TEST_CASE("two processes holding .tmp_versions/asix.mod open for writing: concurrent_writers") {
  if (BackendUnavailable()) return;
  Running r([](const TestTree& t) { t.Mkdir(".tmp_versions"); });
  // The barrier while both are open makes the daemon read both opens before
  // the closes exist: fanotify merges a process's queued events on one file
  // (open+modify+close into one), which would hide the overlap if the
  // daemon lagged (see the fanotify limits in README.md).
  TwoConcurrentWriters(r.tree, ".tmp_versions/asix.mod",
                       "drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\n\n",
                       "drivers/net/usb/asix.ko\ndrivers/net/usb/asix.o\n\n",
                       [&r] { r.Barrier(); });
  r.Barrier();
  Report report = r.GetReport();
  CHECK(Running::Has(report, FindingKind::kConcurrentWriters));
  if (!Inotify()) {
    // fanotify names both writers: two distinct processes, with their comm.
    std::set<int32_t> pids;
    for (const auto& f : report.findings) {
      if (f.kind != FindingKind::kConcurrentWriters) continue;
      CHECK(f.confidence == Confidence::kCertain);
      // (inotify's anonymous handles are listed beside them.)
      for (const auto& w : f.writers) {
        if (!w.process) continue;
        CHECK_FALSE(w.process->comm.empty());
        pids.insert(w.process->pid);
      }
    }
    CHECK(pids.size() == 2);
  }
  // (A module_name_collision also shows when the daemon read the first
  // writer's content before the second wrote: a matter of timing.)
  // Marker files never reach the analyzer or the record.
  const std::string record = Slurp(r.record);
  CHECK(record.find(".modrace-barrier-") == std::string::npos);
  CHECK(DumpLine(nlohmann::json(report)).find(".modrace-barrier-") == std::string::npos);
  struct stat st;
  CHECK(stat(r.tree.Abs(".modrace-barrier-x").c_str(), &st) != 0);
}

TEST_CASE("a sequential clobber of .tmp_versions/asix.mod is found") {
  if (BackendUnavailable()) return;
  Running r([](const TestTree& t) { t.Mkdir(".tmp_versions"); });
  // Seconds apart in a real build; a barrier between stands for that (without
  // it the first snapshot may already hold the second writer's bytes).
  r.tree.Write(".tmp_versions/asix.mod", "drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\n\n");
  r.Barrier();
  r.tree.Write(".tmp_versions/asix.mod", "drivers/net/usb/asix.ko\ndrivers/net/usb/asix.o\n\n");
  r.Barrier();
  Report report = r.GetReport();
  CHECK(Running::Has(report, FindingKind::kClobberedFile));
  CHECK_FALSE(Running::Has(report, FindingKind::kConcurrentWriters));
}

TEST_CASE("1000 fresh directories, each made and written at once: all seen") {
  if (BackendUnavailable()) return;
  Running r;
  for (int i = 0; i < 1000; ++i) {
    const std::string n = std::to_string(i);
    r.tree.Write("d" + n + "/sub/m" + n + ".mod", "d" + n + "/sub/m" + n + ".o\n");
  }
  r.Barrier();
  std::set<std::string> seen;
  std::istringstream lines(Slurp(r.record));
  std::string line;
  while (std::getline(lines, line)) {
    FsEvent e;
    std::string error;
    REQUIRE(ParseEventLine(line, &e, &error));
    if (e.content && !e.content->empty()) seen.insert(e.path);
  }
  int missing = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string n = std::to_string(i);
    if (!seen.count("d" + n + "/sub/m" + n + ".mod")) ++missing;
  }
  CHECK(missing == 0);
  Reply status = r.Call("status");
  if (Inotify()) CHECK(status.result["watched_dirs"] == 2001);
  CHECK(r.GetReport().complete);
}

TEST_CASE("overflow while the daemon is stopped: coverage_gap, incomplete, clash still found") {
  if (BackendUnavailable()) return;
  if (!Inotify()) {
    MESSAGE("SKIPPED for fanotify: modraced asks for an unlimited fanotify queue, so the "
            "overflow is forced in fanotify_source_test with a bounded one");
    return;
  }
  // The queue is not lowered for this (a test run in parallel would see it
  // changed): more events than it holds are made instead.
  long max_queued = 16384;
  {
    std::ifstream q("/proc/sys/fs/" + TestBackend() + "/max_queued_events");
    q >> max_queued;
  }
  if (max_queued > 1000000) {
    MESSAGE("skipped: fs.inotify.max_queued_events=" << max_queued
                                                      << " is too large to overflow quickly");
    return;
  }
  const long opens = max_queued / 2 + 6000;  // two events each: 20k+ in all
  {
    // Distinct files (fanotify merges a process's events on one file into
    // one) in a directory already watched before the daemon stops.
    Running r([](const TestTree& t) {
      t.Mkdir("drivers/net/phy");
      t.Mkdir("churn");
    });
    r.daemon.Signal(SIGSTOP);
    // Events the daemon cannot read, a clash among them.
    int failed = 0;
    for (long i = 0; i < opens; ++i) {
      const std::string churn = r.tree.Abs("churn/" + std::to_string(i) + ".o");
      const int fd = open(churn.c_str(), O_WRONLY | O_CREAT, 0644);
      if (fd < 0) ++failed;
      close(fd);  // open + close_write: two events
      if (i == opens / 2) {
        r.tree.Write("drivers/net/phy/asix.mod", "drivers/net/phy/asix.o\n");
        r.tree.Write("drivers/net/usb/asix.mod", "drivers/net/usb/asix.o\n");
      }
    }
    CHECK(failed == 0);
    r.daemon.Signal(SIGCONT);
    r.Barrier();
    Report report = r.GetReport();
    CHECK_FALSE(report.complete);
    CHECK(report.coverage.overflows >= 1);
    CHECK(report.statistics.rescans >= 1);
    CHECK(Running::Has(report, FindingKind::kCoverageGap));
    CHECK(Running::Has(report, FindingKind::kModuleNameCollision));
    // Still watching afterwards.
    r.tree.Write("late/x.mod", "late/x.o\n");
    r.Barrier();
    CHECK(r.Call("status").result["overflows"] >= 1);
  }
}

TEST_CASE("garbage, unknown commands, a 2 MiB line and a client that never reads") {
  if (BackendUnavailable()) return;
  Running r;
  DaemonClient bad;
  std::string error;
  REQUIRE(bad.Connect(r.daemon.socket(), &error));
  std::string line;
  Reply reply;
  REQUIRE(bad.SendLine("}{ not json", &error));
  REQUIRE(bad.ReadLine(&line, 10000, &error));
  REQUIRE(ParseReply(line, &reply, &error));
  CHECK(reply.error_code == "bad_request");
  REQUIRE(bad.SendLine(R"({"id": 1, "cmd": "launch-missiles"})", &error));
  REQUIRE(bad.ReadLine(&line, 10000, &error));
  REQUIRE(ParseReply(line, &reply, &error));
  CHECK(reply.error_code == "unknown_command");
  REQUIRE(bad.SendLine(std::string(2 << 20, 'x'), &error));
  REQUIRE(bad.ReadLine(&line, 10000, &error));
  REQUIRE(ParseReply(line, &reply, &error));
  CHECK(reply.error_code == "line_too_long");
  // The same connection still works.
  REQUIRE(bad.Call("status", {}, &reply, &error));
  CHECK(reply.ok);

  // A client that sends requests forever and never reads its replies.
  const int greedy = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  strncpy(addr.sun_path, r.daemon.socket().c_str(), sizeof(addr.sun_path) - 1);
  REQUIRE(connect(greedy, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  const std::string req = R"({"id": 1, "cmd": "report"})" "\n";
  std::string burst;
  for (int i = 0; i < 200; ++i) burst += req;
  size_t sent = 0;
  int answered = 0, calls = 0;
  const int64_t until = NowMs() + 1500;
  while (NowMs() < until) {
    const ssize_t n = send(greedy, burst.data(), burst.size(), MSG_NOSIGNAL);
    if (n > 0) sent += static_cast<size_t>(n);
    // Meanwhile everyone else is answered.
    ++calls;
    if (r.client.Call("status", {}, &reply, &error, 5000) && reply.ok) ++answered;
  }
  CHECK(answered == calls);
  MESSAGE("the greedy client got " << sent << " bytes of requests in before it was throttled");
  REQUIRE(r.client.Call("status", {}, &reply, &error, 5000));
  CHECK(reply.ok);
  close(greedy);
  REQUIRE(r.client.Call("hello", {}, &reply, &error, 5000));
  CHECK(reply.ok);
}

TEST_CASE("200 clients at once") {
  if (BackendUnavailable()) return;
  Running r;
  constexpr int kClients = 200;
  std::vector<std::unique_ptr<DaemonClient>> clients;
  std::string error;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<DaemonClient>());
    REQUIRE_MESSAGE(clients.back()->Connect(r.daemon.socket(), &error), error);
  }
  for (int i = 0; i < kClients; ++i) {
    REQUIRE(clients[i]->SendLine(R"({"id": )" + std::to_string(i) + R"(, "cmd": "status"})",
                                 &error));
  }
  int ok = 0;
  for (int i = 0; i < kClients; ++i) {
    std::string line;
    Reply reply;
    if (clients[i]->ReadLine(&line, 20000, &error) && ParseReply(line, &reply, &error) &&
        reply.ok && reply.id == i) {
      ++ok;
    }
  }
  CHECK(ok == kClients);
  Reply status = r.Call("status");
  CHECK(status.result["clients"] == kClients + 1);
}

TEST_CASE("subscribers get findings as they appear") {
  if (BackendUnavailable()) return;
  Running r;
  DaemonClient sub;
  std::string error;
  REQUIRE(sub.Connect(r.daemon.socket(), &error));
  Reply reply;
  REQUIRE(sub.Call("subscribe", {{"since", 0}}, &reply, &error));
  CHECK(reply.ok);
  r.tree.Write("a/foo.mod", "a/foo.o\n");
  r.tree.Write("b/foo.mod", "b/foo.o\n");
  r.Barrier();
  nlohmann::json event;
  REQUIRE_MESSAGE(sub.ReadEvent(&event, 10000, &error), error);
  CHECK(event["event"] == "finding");
  CHECK(event["finding"]["kind"] == "module_name_collision");
  CHECK(SchemaCheck("proto/reply.schema.json", DumpLine(event) + "\n") == "");
}

TEST_CASE("SIGTERM flushes a whole report and exits 0") {
  if (BackendUnavailable()) return;
  Running r;
  r.tree.Write("a/foo.mod", "a/foo.o\n");
  r.tree.Write("b/foo.mod", "b/foo.o\n");
  r.Barrier();
  r.daemon.Signal(SIGTERM);
  CHECK(r.daemon.Wait() == 0);
  Report report = nlohmann::json::parse(Slurp(r.report)).get<Report>();
  CHECK(Running::Has(report, FindingKind::kModuleNameCollision));
  struct stat st;
  CHECK(stat(r.daemon.socket().c_str(), &st) != 0);  // the socket is removed
}

TEST_CASE("SIGKILL leaves the last whole report, written within a second of the finding") {
  if (BackendUnavailable()) return;
  Running r;
  const int64_t before = r.Call("status").result["reports_written"].get<int64_t>();
  r.tree.Write("a/foo.mod", "a/foo.o\n");
  r.tree.Write("b/foo.mod", "b/foo.o\n");
  r.Barrier();
  // The report timer fires within a second; wait for it (bounded), not a sleep.
  const int64_t deadline = NowMs() + 3000;
  int64_t written = before;
  while (written == before && NowMs() < deadline) {
    written = r.Call("status").result["reports_written"].get<int64_t>();
  }
  CHECK(written > before);
  r.daemon.Signal(SIGKILL);
  CHECK(r.daemon.Wait() == 128 + SIGKILL);
  Report report = nlohmann::json::parse(Slurp(r.report)).get<Report>();
  CHECK(Running::Has(report, FindingKind::kModuleNameCollision));
}

TEST_CASE("fanotify without permission: exit 3 naming what it needs") {
  if (geteuid() != 0 || access("/usr/bin/setpriv", X_OK) != 0) {
    MESSAGE("SKIPPED: needs root and setpriv to run modraced as another user");
    return;
  }
  char dir[] = "/tmp/modrace-fanperm-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  chmod(dir, 0777);
  const std::string cmd = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups " +
                          ModracedPath() + " --backend fanotify --root " + dir + " --socket " +
                          dir + "/s.sock 2>" + dir + "/err.txt";
  const int status = system(cmd.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 3);
  const std::string err = Slurp(std::string(dir) + "/err.txt");
  CHECK_MESSAGE(err.find("CAP_SYS_ADMIN") != std::string::npos, err);
  system(("rm -rf " + std::string(dir)).c_str());
}

TEST_CASE("exit codes: bad usage 2, a second daemon 3") {
  TestTree tree;
  SocketTmpDir sockets;
  DaemonProcess usage;
  CHECK_FALSE(usage.Start({"--root", tree.root(), "--backend", "kqueue"}));
  CHECK(usage.exit_code() == 2);
  DaemonProcess missing;
  CHECK_FALSE(missing.Start({"--root", tree.Abs("missing"), "--socket", sockets.path + "/m.sock"}));
  CHECK(missing.exit_code() == 2);
  DaemonProcess first, second;
  REQUIRE(first.Start({"--root", tree.root(), "--socket", sockets.path + "/s.sock"}));
  CHECK_FALSE(second.Start({"--root", tree.root(), "--socket", sockets.path + "/s.sock"}));
  CHECK(second.exit_code() == 3);
  first.Signal(SIGINT);
  CHECK(first.Wait() == 0);
}

}  // namespace modrace

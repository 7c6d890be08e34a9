// SPDX-License-Identifier: GPL-2.0-only
// Faults (docs/architecture.md, Reliability and bad input) against the real modraced binary, once per
// backend (MODRACE_TEST_BACKEND): directories made, renamed and removed
// under a running build; files replaced by rename; the watched root removed
// or renamed away; the report's filesystem full. Each case fails when its
// promise breaks. Flushes are barriers; exits and report writes are waited
// for with a deadline, never a sleep.

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "daemon/modraced_process.h"
#include "common/test_tree.h"
#include "common/dir_walk.h"
#include "proto/bytes_json.h"
#include "proto/fs_event.h"
#include "proto/report.h"
#include "tests/schema_check.h"

namespace modrace {

namespace {

// Runs `script` with /bin/sh in `dir` as a real child process (a build
// stand-in) and returns its exit status; killed after `timeout_ms`.
int RunShell(const std::string& dir, const std::string& script, int64_t timeout_ms = 120000) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(126);
    execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const int64_t deadline = NowMs() + timeout_ms;
  int status = 0;
  for (;;) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (NowMs() >= deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      FAIL("the shell script did not finish within " << timeout_ms << " ms");
    }
    poll(nullptr, 0, 10);  // waiting for an exit, not for data
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<FsEvent> ReadRecord(const std::string& path) {
  std::vector<FsEvent> events;
  std::istringstream lines(Slurp(path));
  std::string line;
  while (std::getline(lines, line)) {
    FsEvent e;
    std::string error;
    REQUIRE_MESSAGE(ParseEventLine(line, &e, &error), error);
    events.push_back(std::move(e));
  }
  return events;
}

// Events naming a path under a directory that the stream itself had
// already removed or renamed away (and not made again): stale names.
std::vector<std::string> StalePaths(const std::vector<FsEvent>& events) {
  std::set<std::string> gone;
  std::vector<std::string> stale;
  for (const FsEvent& e : events) {
    // fanotify's names_only events (the fanotify backend's second source)
    // follow their own stream's directory events, which are not recorded
    // (inotify's are); they feed only the writer trackers.
    if (e.names_only) continue;
    for (size_t slash = e.path.find('/'); slash != std::string::npos;
         slash = e.path.find('/', slash + 1)) {
      if (gone.count(e.path.substr(0, slash))) {
        stale.push_back(std::string(EventKindName(e.kind)) + " " + e.path + " (seq " +
                        std::to_string(e.seq) + ")");
        break;
      }
    }
    if (!e.is_dir) continue;
    if (e.kind == EventKind::kMovedFrom || e.kind == EventKind::kDelete) {
      gone.insert(e.path);
    } else if (e.kind == EventKind::kCreate || e.kind == EventKind::kMovedTo ||
               e.kind == EventKind::kExisting) {
      gone.erase(e.path);
    }
  }
  return stale;
}

// Regular files below `root` whose names end in `suffix`, relative.
std::vector<std::string> FilesOnDisk(const std::string& root, const std::string& suffix) {
  std::vector<std::string> out;
  WalkTree(root, "", [&](const std::string& rel, WalkType type) {
    if (type == WalkType::kFile && rel.size() > suffix.size() &&
        rel.compare(rel.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(rel);
    }
  });
  return out;
}

const Finding* CollisionOf(const Report& r, const std::string& module) {
  for (const auto& f : r.findings) {
    if (f.kind == FindingKind::kModuleNameCollision && f.module == module) return &f;
  }
  return nullptr;
}

std::set<std::string> PathsOf(const Finding& f) {
  return std::set<std::string>(f.paths.begin(), f.paths.end());
}

// The coverage_gap the daemon leaves when the root goes away, or null.
const Finding* RootGoneGap(const Report& r) {
  for (const auto& f : r.findings) {
    if (f.kind != FindingKind::kCoverageGap) continue;
    if (f.message.find("watched root") != std::string::npos &&
        f.message.find("final") != std::string::npos) {
      return &f;
    }
  }
  return nullptr;
}

// The report file after the daemon exited because its root went away:
// whole, valid, with the clash made before and a gap that says why.
void CheckFinalReport(const std::string& report_path, const std::string& why) {
  const std::string text = Slurp(report_path);
  REQUIRE_FALSE(text.empty());
  CHECK(SchemaCheck("proto/report.schema.json", DumpLine(nlohmann::json::parse(text)) + "\n") ==
        "");
  const Report report = nlohmann::json::parse(text).get<Report>();
  CHECK(CollisionOf(report, "foo") != nullptr);
  const Finding* gap = RootGoneGap(report);
  REQUIRE_MESSAGE(gap != nullptr, text);
  CHECK_MESSAGE(gap->message.find(why) != std::string::npos, gap->message);
  CHECK_FALSE(report.complete);  // nothing after that point was seen
}

// A small tmpfs, unmounted (lazily, so a busy one goes too) and removed
// when this goes away, on failure as well.
class SmallTmpfs {
 public:
  explicit SmallTmpfs(const char* options) {
    char tmpl[] = "/tmp/modrace-full-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path_ = tmpl;
    mounted_ = mount("tmpfs", path_.c_str(), "tmpfs", 0, options) == 0;
    REQUIRE_MESSAGE(mounted_, "mount tmpfs: " << strerror(errno));
  }
  ~SmallTmpfs() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
    rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool mounted_ = false;
};

// Writes `path` until the filesystem is full. Returns the errno that
// stopped it (ENOSPC when it worked).
int FillUp(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  const std::string block(4096, 'x');
  int err = 0;
  for (int i = 0; i < 1 << 20 && err == 0; ++i) {
    if (write(fd, block.data(), block.size()) < 0) err = errno;
  }
  close(fd);
  return err;
}

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  REQUIRE(d != nullptr);
  while (struct dirent* de = readdir(d)) {
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) names.push_back(de->d_name);
  }
  closedir(d);
  return names;
}

// Status fields while polling for the report writer's state.
struct ReportState {
  std::string error;
  int64_t written = 0;
};

ReportState ReportStatus(Running& r) {
  Reply s = r.Call("status");
  REQUIRE(s.ok);
  return {s.result.value("report_error", std::string("<missing>")),
          s.result.at("reports_written").get<int64_t>()};
}

// Polls status until `done` holds or 10 s pass (the report timer and its
// retry run within about a second).
ReportState WaitForReportState(Running& r, const std::function<bool(const ReportState&)>& done) {
  const int64_t deadline = NowMs() + 10000;
  ReportState s = ReportStatus(r);
  while (!done(s) && NowMs() < deadline) {
    poll(nullptr, 0, 20);  // between status calls, not standing in for a flush
    s = ReportStatus(r);
  }
  return s;
}

constexpr int kRounds = 30;
constexpr int kHops = 100;

// Three concurrent jobs, as a make -j3 would run them. Job 1 makes each
// directory under a temporary name, writes into it, renames it into place
// and writes more right after the rename; it renames another directory
// twice with writes between, and makes and rm -rf's a third. Job 2 makes
// the other half of each late$i clash in a freshly renamed directory too.
// Job 3 only renames directories twice with a write after each rename: a
// daemon a rename or two behind must not see one file under two names.
std::string ChurnScript() {
  const std::string n = std::to_string(kRounds);
  const std::string hops = std::to_string(kHops);
  return R"(
job1() {
  i=0
  while [ $i -lt )" + n + R"( ]; do
    mkdir -p stage$i/sub/deep
    echo "stage$i/sub/m$i.o" > stage$i/sub/m$i.mod
    mv stage$i final$i
    echo "final$i/sub/late$i.o" > final$i/sub/late$i.mod
    echo "final$i/sub/deep/d$i.o" > final$i/sub/deep/d$i.mod
    mkdir -p hop$i/in
    mv hop$i hop$i.b
    echo "hop$i.b/in/h$i.o" > hop$i.b/in/h$i.mod
    mv hop$i.b hop$i.c
    echo "hop$i.c/in/k$i.o" > hop$i.c/in/k$i.mod
    mkdir -p tmp$i/a/b
    echo "tmp$i/a/b/junk$i.o" > tmp$i/a/b/junk$i.mod
    rm -rf tmp$i
    i=$((i+1))
  done
}
job2() {
  i=0
  while [ $i -lt )" + n + R"( ]; do
    mkdir o$i.tmp
    mv o$i.tmp o$i
    echo "o$i/late$i.o" > o$i/late$i.mod
    mkdir -p gone$i/x
    echo "gone$i/x/g$i.o" > gone$i/x/g$i.mod
    mv gone$i gone$i.old
    rm -rf gone$i.old
    i=$((i+1))
  done
}
job3() {
  i=0
  while [ $i -lt )" + hops + R"( ]; do
    mkdir -p hx$i/in
    mv hx$i hx$i.b
    echo "hx$i.b/in/x$i.o" > hx$i.b/in/x$i.mod
    mv hx$i.b hx$i.c
    echo "hx$i.c/in/y$i.o" > hx$i.c/in/y$i.mod
    i=$((i+1))
  done
}
set -e
job1 & a=$!
job2 & b=$!
job3 & c=$!
wait $a
wait $b
wait $c
)";
}

// After ChurnScript ran under `r` and a barrier: the daemon still runs,
// every clash made in freshly renamed directories is found under the
// directories' final names and nothing else is, every .mod file on disk
// was seen with its content at the path it has, and no event names a path
// under a directory the stream had already renamed away or removed.
void CheckChurnSeen(Running& r) {
  CHECK(r.daemon.WaitFor(0) == -2);
  Reply status = r.Call("status");
  REQUIRE(status.ok);

  const Report report = r.GetReport();
  CHECK(report.complete);
  int missing = 0;
  for (int i = 0; i < kRounds; ++i) {
    const std::string n = std::to_string(i);
    const Finding* f = CollisionOf(report, "late" + n);
    if (f == nullptr) {
      ++missing;
      MESSAGE("no clash found for late" << n);
      continue;
    }
    // Exactly the final names: a stale one (o3.tmp/late3) would show here.
    const std::set<std::string> want = {"final" + n + "/sub/late" + n, "o" + n + "/late" + n};
    CHECK_MESSAGE(PathsOf(*f) == want, DumpLine(nlohmann::json(*f)));
  }
  CHECK(missing == 0);
  // Anything else (say hx7.b/in/x7 and hx7.c/in/x7: one file under its old
  // and its new name) is a false finding.
  for (const auto& f : report.findings) {
    const bool late = f.kind == FindingKind::kModuleNameCollision && f.module &&
                      f.module->rfind("late", 0) == 0;
    CHECK_MESSAGE(late, "unexpected: " << DumpLine(nlohmann::json(f)));
  }

  const std::vector<FsEvent> events = ReadRecord(r.record);
  std::set<std::string> seen_with_content;
  for (const FsEvent& e : events) {
    if (e.content && !e.content->empty()) seen_with_content.insert(e.path);
  }
  const std::vector<std::string> on_disk = FilesOnDisk(r.tree.root(), ".mod");
  CHECK(on_disk.size() == static_cast<size_t>(6 * kRounds + 2 * kHops));
  int unseen = 0;
  for (const auto& rel : on_disk) {
    if (!seen_with_content.count(rel)) {
      ++unseen;
      MESSAGE("never seen with its content: " << rel);
    }
  }
  CHECK(unseen == 0);
  const std::vector<std::string> stale = StalePaths(events);
  for (size_t i = 0; i < stale.size() && i < 10; ++i) MESSAGE("stale: " << stale[i]);
  CHECK(stale.empty());

  // And it keeps watching: a clash made now is found.
  r.tree.Write("after/one/z.mod", "after/one/z.o\n");
  r.tree.Write("after/two/z.mod", "after/two/z.o\n");
  r.Barrier();
  CHECK(CollisionOf(r.GetReport(), "z") != nullptr);
}

}  // namespace

TEST_CASE("promise 1: directories made, renamed and removed mid-build: every file seen, "
          "the clash in a freshly renamed directory found, no stale path, still running") {
  if (BackendUnavailable()) return;
  Running r;
  REQUIRE(RunShell(r.tree.root(), ChurnScript()) == 0);
  r.Barrier();
  CheckChurnSeen(r);
}

TEST_CASE("promise 1, the daemon far behind: stopped for the whole build, it reads every "
          "event after the renames and removals happened") {
  if (BackendUnavailable()) return;
  Running r;
  r.daemon.Signal(SIGSTOP);
  const int rc = RunShell(r.tree.root(), ChurnScript());
  r.daemon.Signal(SIGCONT);
  REQUIRE(rc == 0);
  r.Barrier();
  CheckChurnSeen(r);
}

TEST_CASE("promise 2: files replaced by rename (write tmp, mv tmp target): the new content is "
          "seen at the target") {
  if (BackendUnavailable()) return;
  Running r([](const TestTree& t) {
    t.Write("modules.order", "drivers/a/foo.ko\n");
    t.Write("drivers/c/bar.mod", "drivers/c/bar.o\n");
    t.Write("drivers/d/bar.mod", "drivers/d/old.o\n");
    t.Mkdir("drivers/e");
  });
  r.Barrier();
  // bar in c and d is a clash from the start; foo is not yet.
  CHECK(CollisionOf(r.GetReport(), "foo") == nullptr);

  // modules.order replaced by rename, as kbuild does: now foo clashes.
  REQUIRE(RunShell(r.tree.root(),
                   "printf 'drivers/a/foo.ko\\ndrivers/b/foo.ko\\n' > modules.order.tmp && "
                   "mv -f modules.order.tmp modules.order") == 0);
  // A .mod made by rename from a temporary name beside it: baz clashes with
  // one written the plain way.
  r.tree.Write("drivers/c/baz.mod", "drivers/c/baz.o\n");
  REQUIRE(RunShell(r.tree.root(), "printf 'drivers/e/baz.o\\n' > drivers/e/.baz.mod.tmp && "
                                  "mv -f drivers/e/.baz.mod.tmp drivers/e/baz.mod") == 0);
  // An existing .mod replaced by rename: the target's new content is what
  // the daemon read.
  REQUIRE(RunShell(r.tree.root(), "printf 'drivers/d/bar.o\\n' > drivers/d/bar.mod.tmp && "
                                  "mv -f drivers/d/bar.mod.tmp drivers/d/bar.mod") == 0);
  r.Barrier();

  const Report report = r.GetReport();
  const Finding* foo = CollisionOf(report, "foo");
  REQUIRE_MESSAGE(foo != nullptr, DumpLine(nlohmann::json(report)));
  CHECK(PathsOf(*foo) == std::set<std::string>{"drivers/a/foo", "drivers/b/foo"});
  const Finding* baz = CollisionOf(report, "baz");
  REQUIRE(baz != nullptr);
  CHECK(PathsOf(*baz) == std::set<std::string>{"drivers/c/baz", "drivers/e/baz"});
  for (const auto& f : report.findings) {
    for (const auto& p : f.paths) CHECK_MESSAGE(p.find(".tmp") == std::string::npos, p);
  }
  // The record: the last content read at each target is the new one.
  std::map<std::string, std::string> last;
  for (const FsEvent& e : ReadRecord(r.record)) {
    if (e.content) last[e.path] = *e.content;
  }
  CHECK(last["modules.order"] == "drivers/a/foo.ko\ndrivers/b/foo.ko\n");
  CHECK(last["drivers/e/baz.mod"] == "drivers/e/baz.o\n");
  CHECK(last["drivers/d/bar.mod"] == "drivers/d/bar.o\n");
}

TEST_CASE("symlink loops in the tree, at start and made mid-build: never followed, nothing lost") {
  if (BackendUnavailable()) return;
  Running r([](const TestTree& t) {
    t.Mkdir("drivers/a");
    REQUIRE(symlink(".", t.Abs("self").c_str()) == 0);             // self -> .
    REQUIRE(symlink("../..", t.Abs("drivers/a/up").c_str()) == 0);  // up the tree
    REQUIRE(symlink("ping", t.Abs("pong").c_str()) == 0);           // pong -> ping -> pong
    REQUIRE(symlink("pong", t.Abs("ping").c_str()) == 0);
  });
  // Loops made while watching, then a clash beside them.
  REQUIRE(symlink(".", r.tree.Abs("drivers/a/here").c_str()) == 0);
  REQUIRE(RunShell(r.tree.root(), "mkdir -p drivers/b && ln -s ../b drivers/b/again && "
                                  "mv drivers/b drivers/c") == 0);
  r.tree.Write("drivers/a/foo.mod", "drivers/a/foo.o\n");
  r.tree.Write("drivers/c/foo.mod", "drivers/c/foo.o\n");
  r.Barrier();
  CHECK(r.daemon.WaitFor(0) == -2);  // still running
  const Report report = r.GetReport();
  CHECK(report.complete);
  const Finding* f = CollisionOf(report, "foo");
  REQUIRE(f != nullptr);
  // Exactly the two real paths: no path through a link.
  CHECK(PathsOf(*f) == std::set<std::string>{"drivers/a/foo", "drivers/c/foo"});
  CHECK(report.findings.size() == 1);
  for (const FsEvent& e : ReadRecord(r.record)) {
    for (const char* link : {"self/", "up/", "here/", "again/", "ping/", "pong/"}) {
      CHECK_MESSAGE(e.path.find(link) == std::string::npos, "followed a link: " << e.path);
    }
  }
}

TEST_CASE("promise 3: the watched root removed (rm -rf): a final whole report that says why, "
          "then exit 0") {
  if (BackendUnavailable()) return;
  Running::Options options;
  options.capture_stderr = true;
  Running r(options);
  r.tree.Write("a/foo.mod", "a/foo.o\n");
  r.tree.Write("b/foo.mod", "b/foo.o\n");
  for (int i = 0; i < 50; ++i) r.tree.Write("d" + std::to_string(i) + "/sub/x.o", "x\n");
  r.Barrier();
  const std::string socket = r.daemon.socket();
  REQUIRE(RunShell("/", "rm -rf '" + r.tree.root() + "'") == 0);
  const int code = r.daemon.WaitFor(20000);
  REQUIRE_MESSAGE(code == 0, "modraced did not exit 0 within 20 s after rm -rf of its root ("
                                 << code << "); stderr: " << r.Stderr());
  CheckFinalReport(r.report, "was removed");
  CHECK_MESSAGE(r.Stderr().find("was removed") != std::string::npos, r.Stderr());
  struct stat st;
  CHECK(stat(socket.c_str(), &st) != 0);  // its socket is gone: a clean exit
}

TEST_CASE("promise 3: the watched root renamed away: a final whole report that says why, "
          "then exit 0") {
  if (BackendUnavailable()) return;
  Running::Options options;
  options.capture_stderr = true;
  Running r(options);
  const std::string moved = r.tree.root() + ".moved";
  struct Cleanup {
    std::string path;
    ~Cleanup() { RemoveTree(path); }
  } cleanup{moved};
  r.tree.Write("a/foo.mod", "a/foo.o\n");
  r.tree.Write("b/foo.mod", "b/foo.o\n");
  r.Barrier();
  REQUIRE(RunShell("/", "mv '" + r.tree.root() + "' '" + moved + "'") == 0);
  const int code = r.daemon.WaitFor(20000);
  REQUIRE_MESSAGE(code == 0, "modraced did not exit 0 within 20 s after its root was renamed ("
                                 << code << "); stderr: " << r.Stderr());
  CheckFinalReport(r.report, "moved away");
  CHECK_MESSAGE(r.Stderr().find("moved away") != std::string::npos, r.Stderr());
}

TEST_CASE("promise 3: the watched root removed while a process still holds it open: a final "
          "report and exit 0 all the same") {
  if (BackendUnavailable()) return;
  // An open directory is deleted for inotify and fanotify only when its
  // last reference goes, so no self event comes while this fd is open: the
  // daemon must notice the root is gone from its path by itself.
  Running::Options options;
  options.capture_stderr = true;
  Running r(options);
  r.tree.Write("a/foo.mod", "a/foo.o\n");
  r.tree.Write("b/foo.mod", "b/foo.o\n");
  r.Barrier();
  const int held = open(r.tree.root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(held >= 0);
  struct Close {
    int fd;
    ~Close() { close(fd); }
  } close_held{held};
  REQUIRE(RunShell("/", "rm -rf '" + r.tree.root() + "'") == 0);
  const int code = r.daemon.WaitFor(20000);
  REQUIRE_MESSAGE(code == 0, "modraced did not exit 0 within 20 s after rm -rf of its (held) "
                             "root (" << code << "); stderr: " << r.Stderr());
  CheckFinalReport(r.report, "no longer at its path");
}

TEST_CASE("promise 4: the report's filesystem full: still running, the error in stderr and "
          "status, the last report whole; written again once there is space") {
  if (BackendUnavailable()) return;
  if (geteuid() != 0) {
    MESSAGE("SKIPPED: mounting a small tmpfs needs root (CI runs as root)");
    return;
  }
  SmallTmpfs full("size=64k");  // declared first: unmounted after the daemon is gone
  Running::Options options;
  options.report = full.path() + "/report.json";
  options.capture_stderr = true;
  Running r(options);
  REQUIRE(ReportStatus(r).written >= 1);  // the start-up report fitted

  REQUIRE(FillUp(full.path() + "/filler") == ENOSPC);
  const std::string before = Slurp(r.report);
  REQUIRE_FALSE(before.empty());
  const int64_t written_before = ReportStatus(r).written;

  r.tree.Write("a/foo.mod", "a/foo.o\n");
  r.tree.Write("b/foo.mod", "b/foo.o\n");
  r.Barrier();
  ReportState s = WaitForReportState(r, [](const ReportState& st) { return !st.error.empty(); });
  CHECK_MESSAGE(s.error.find("No space left on device") != std::string::npos, s.error);
  CHECK(s.written == written_before);
  CHECK_MESSAGE(r.Stderr().find("No space left on device") != std::string::npos, r.Stderr());

  // The last whole report is still there, unchanged and parseable, and no
  // temporary file is left behind.
  const std::string during = Slurp(r.report);
  CHECK(during == before);
  CHECK_NOTHROW(nlohmann::json::parse(during).get<Report>());
  std::vector<std::string> names = ListDir(full.path());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"filler", "report.json"});

  // Still watching and answering while the disk is full. (No new finding
  // here: nothing but the daemon's own retry may write the report later.)
  CHECK(r.daemon.WaitFor(0) == -2);
  r.tree.Write("c/bar.o", "not an artifact\n");
  r.Barrier();
  CHECK(CollisionOf(r.GetReport(), "foo") != nullptr);
  CHECK_FALSE(ReportStatus(r).error.empty());  // sticky until a write succeeds

  // Space comes back: the report is written again without a new finding to
  // prompt it, and the error clears.
  REQUIRE(unlink((full.path() + "/filler").c_str()) == 0);
  s = WaitForReportState(r, [&](const ReportState& st) {
    return st.error.empty() && st.written > written_before;
  });
  CHECK_MESSAGE(s.error.empty(), s.error);
  CHECK(s.written > written_before);
  const std::string after = Slurp(r.report);
  CHECK(SchemaCheck("proto/report.schema.json", DumpLine(nlohmann::json::parse(after)) + "\n") ==
        "");
  const Report written = nlohmann::json::parse(after).get<Report>();
  CHECK(CollisionOf(written, "foo") != nullptr);
  CHECK_MESSAGE(r.Stderr().find("written again") != std::string::npos, r.Stderr());
}

}  // namespace modrace

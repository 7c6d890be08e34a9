// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/fanotify_source.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "common/strings.h"
#include "daemon/test_loop.h"
#include "common/test_tree.h"

namespace modrace {

namespace {

// fanotify needs CAP_SYS_ADMIN. CI runs these as root; elsewhere they say
// so and pass without checking anything.
#define SKIP_UNLESS_ROOT()                                                              \
  do {                                                                                  \
    if (geteuid() != 0) {                                                               \
      MESSAGE("SKIPPED: fanotify needs root (CAP_SYS_ADMIN); run as root to test it"); \
      return;                                                                           \
    }                                                                                   \
  } while (0)

bool WantsModContent(std::string_view path) { return EndsWith(path, ".mod"); }

// A child running `/bin/sh -c script args...` in `cwd`, its stdin a pipe
// the test holds. Everything the test wants seen must be written by a
// child: the test process is the "daemon" here, and its own events are
// dropped.
struct Child {
  pid_t pid = -1;
  int stdin_fd = -1;

  Child(const std::string& cwd, const std::string& script,
        const std::vector<std::string>& args = {}) {
    int p[2];
    REQUIRE(pipe2(p, O_CLOEXEC) == 0);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(p[0], 0);
      const int null_fd = open("/dev/null", O_WRONLY);
      dup2(null_fd, 1);
      if (chdir(cwd.c_str()) != 0) _exit(126);
      std::vector<const char*> argv{"sh", "-c", script.c_str()};
      for (const auto& a : args) argv.push_back(a.c_str());
      argv.push_back(nullptr);
      execv("/bin/sh", const_cast<char* const*>(argv.data()));
      _exit(127);
    }
    close(p[0]);
    stdin_fd = p[1];
  }
  void Say(const std::string& line) const {
    CHECK(write(stdin_fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
  }
  int Wait() {
    if (stdin_fd >= 0) close(stdin_fd);
    stdin_fd = -1;
    int status = 0;
    if (pid > 0) waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  ~Child() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      Wait();
    }
  }
};

// One source on its own loop, collecting what it emits.
struct Watch {
  explicit Watch(const TestTree& tree, FanotifyOptions opts = {})
      : Watch(tree.root(), std::move(opts)) {}
  Watch(const std::string& watched, FanotifyOptions opts) : root(watched) {
    uv_loop_init(&loop);
    opts.root = watched;
    if (!opts.wants_content) opts.wants_content = WantsModContent;
    source = std::make_unique<FanotifySource>(
        &loop, opts, [this](FsEvent&& e) { events.push_back(std::move(e)); },
        [this] { ++batches; });
  }
  ~Watch() {
    source->Close();
    CHECK(DrainAndCloseLoop(&loop));
  }
  bool Start() {
    std::string error;
    const bool ok = source->Start(&error);
    if (!ok) MESSAGE(error);
    return ok;
  }
  const FsEvent* Find(EventKind kind, const std::string& path, pid_t pid = -1) const {
    for (const auto& e : events) {
      if (e.kind == kind && e.path == path &&
          (pid < 0 || (e.process && e.process->pid == pid))) {
        return &e;
      }
    }
    return nullptr;
  }
  bool WaitFor(EventKind kind, const std::string& path, pid_t pid = -1) {
    return RunUntil(&loop, [&] { return Find(kind, path, pid) != nullptr; });
  }
  // Has a child write a file and waits for its close-write: everything the
  // kernel queued before it has then been read.
  bool Settle() {
    const std::string name = "sentinel-" + std::to_string(++sentinels);
    Child c(root, "echo x > " + name);
    const bool ok = WaitFor(EventKind::kCloseWrite, name);
    c.Wait();
    return ok;
  }
  bool SawPathContaining(const std::string& part) const {
    return std::any_of(events.begin(), events.end(), [&](const FsEvent& e) {
      return e.path.find(part) != std::string::npos;
    });
  }
  int CountKind(EventKind kind) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(),
                                          [&](const FsEvent& e) { return e.kind == kind; }));
  }

  std::string root;
  uv_loop_t loop;
  std::unique_ptr<FanotifySource> source;
  std::vector<FsEvent> events;
  int batches = 0;
  int sentinels = 0;
};

// The inodes this process's fanotify groups have an ignore mask on, from
// /proc/self/fdinfo ("fanotify ino:HEX ... ignored_mask:HEX ...").
std::set<unsigned long> IgnoredInodes() {
  std::set<unsigned long> inodes;
  DIR* dir = opendir("/proc/self/fd");
  REQUIRE(dir != nullptr);
  while (const struct dirent* d = readdir(dir)) {
    char target[256];
    const std::string link = std::string("/proc/self/fd/") + d->d_name;
    const ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    if (n <= 0 || std::string(target, static_cast<size_t>(n)) != "anon_inode:[fanotify]") continue;
    std::ifstream info(std::string("/proc/self/fdinfo/") + d->d_name);
    std::string line;
    while (std::getline(info, line)) {
      unsigned long ino = 0;
      unsigned long ignored = 0;
      const size_t at = line.find(" ignored_mask:");
      if (line.rfind("fanotify ino:", 0) != 0 || at == std::string::npos) continue;
      ino = std::stoul(line.substr(13), nullptr, 16);
      ignored = std::stoul(line.substr(at + 14), nullptr, 16);
      if (ignored != 0) inodes.insert(ino);
    }
  }
  closedir(dir);
  return inodes;
}

unsigned long InodeOf(const std::string& path) {
  struct stat st;
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_ino;
}

}  // namespace

TEST_CASE("FanotifySource::Available as root; a clear error without CAP_SYS_ADMIN") {
  SKIP_UNLESS_ROOT();
  std::string why;
  CHECK(FanotifySource::Available(&why));
  CHECK(why.empty());

  // An unprivileged child: Available and Start both say what is missing.
  TestTree tree;
  chmod(tree.root().c_str(), 0755);
  int p[2];
  REQUIRE(pipe(p) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(p[0]);
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(2);
    std::string out;
    std::string w;
    out += FanotifySource::Available(&w) ? "available" : "unavailable";
    out += "|" + w + "|";
    uv_loop_t loop;
    uv_loop_init(&loop);
    {
      FanotifyOptions o;
      o.root = tree.root();
      FanotifySource s(&loop, o, [](FsEvent&&) {});
      std::string error;
      out += s.Start(&error) ? "started" : "failed";
      out += "|" + error;
      s.Close();
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    if (write(p[1], out.data(), out.size()) < 0) _exit(3);
    _exit(0);
  }
  close(p[1]);
  std::string got;
  char buf[4096];
  ssize_t n;
  while ((n = read(p[0], buf, sizeof(buf))) > 0) got.append(buf, static_cast<size_t>(n));
  close(p[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  INFO(got);
  CHECK(got.rfind("unavailable|", 0) == 0);
  CHECK(got.find("CAP_SYS_ADMIN") != std::string::npos);
  CHECK(got.find("|failed|") != std::string::npos);
  CHECK(got.find("root", got.find("|failed|")) != std::string::npos);
}

TEST_CASE("FanotifySource: two writers holding .tmp_versions/asix.mod open at once") {
  SKIP_UNLESS_ROOT();
  TestTree tree;
  tree.Mkdir(".tmp_versions");
  // This test is the build (as `modrace run` says of what it started): the
  // chain runs up to it and stops there.
  FanotifyOptions opts;
  opts.process_table.build_parent = getppid();
  Watch w(tree, opts);
  REQUIRE(w.Start());
  CHECK(w.source->mode() == FanotifyMode::kFilesystemFid);

  // As kbuild's old rule does: truncate, write line 1, (the other writer
  // opens), write line 2, close.
  const std::string script =
      "{ echo drivers/net/$0/asix.ko; read go; echo drivers/net/$0/asix.o; } "
      "> .tmp_versions/asix.mod";
  const std::string mod = ".tmp_versions/asix.mod";
  Child phy(tree.root(), script, {"phy"});
  Child usb(tree.root(), script, {"usb"});
  // Both have opened and written: both handles are open now.
  REQUIRE(RunUntil(&w.loop, [&] {
    return w.Find(EventKind::kModify, mod, phy.pid) && w.Find(EventKind::kModify, mod, usb.pid);
  }));
  phy.Say("go\n");
  usb.Say("go\n");
  REQUIRE(RunUntil(&w.loop, [&] {
    return w.Find(EventKind::kCloseWrite, mod, phy.pid) &&
           w.Find(EventKind::kCloseWrite, mod, usb.pid);
  }));
  const pid_t phy_pid = phy.pid;
  const pid_t usb_pid = usb.pid;
  CHECK(phy.Wait() == 0);
  CHECK(usb.Wait() == 0);

  std::set<int32_t> pids;
  size_t last_open = 0;
  size_t first_close = w.events.size();
  for (size_t i = 0; i < w.events.size(); ++i) {
    const FsEvent& e = w.events[i];
    if (e.path != mod) continue;
    REQUIRE(e.process != nullptr);
    pids.insert(e.process->pid);
    CHECK(e.process->comm == "sh");
    const std::string which = e.process->pid == phy_pid ? "phy" : "usb";
    CHECK(e.process->cmdline == "sh -c " + script + " " + which);
    // The parent chain reaches this test (the children's parent), no further.
    REQUIRE(e.process->ancestors.size() == 1);
    CHECK(e.process->ancestors[0] == getpid());
    CHECK(e.process->ancestor_cmdlines[0].find("fanotify_source_test") != std::string::npos);
    if (e.kind == EventKind::kOpen) last_open = std::max(last_open, i);
    if (e.kind == EventKind::kCloseWrite) first_close = std::min(first_close, i);
  }
  CHECK(pids == std::set<int32_t>{phy_pid, usb_pid});
  // The overlap is in the stream: both opens come before either close.
  CHECK(last_open < first_close);
  // The close-writes carry the content read at close.
  const FsEvent* close_ev = w.Find(EventKind::kCloseWrite, mod);
  REQUIRE(close_ev != nullptr);
  REQUIRE(close_ev->content.has_value());
  CHECK(close_ev->content->find("asix.ko") != std::string::npos);
  // Our content reads are not in the stream.
  CHECK(w.source->dropped_own() > 0);
}

// Runs `runs` short-lived writers; returns how many were named with their
// full cmdline. comm and pid are required of every one.
int ShortLivedWritersNamed(bool capture_at_exec, int runs) {
  TestTree tree;
  FanotifyOptions o;
  o.capture_at_exec = capture_at_exec;
  Watch w(tree, o);
  REQUIRE(w.Start());
  int with_cmdline = 0;
  for (int i = 0; i < runs; ++i) {
    const std::string f = "f" + std::to_string(i) + ".mod";
    const std::string script = "{ echo a; echo b; } > " + f;
    Child c(tree.root(), script);
    const pid_t pid = c.pid;
    // Not reaped until its events are read: at worst a zombie, whose comm
    // /proc still shows.
    REQUIRE(w.WaitFor(EventKind::kCloseWrite, f, pid));
    CHECK(c.Wait() == 0);
    std::string cmdline;
    bool first = true;
    for (const auto& e : w.events) {
      if (e.path != f) continue;
      REQUIRE(e.process != nullptr);
      CHECK(e.process->pid == pid);
      CHECK(e.process->comm == "sh");
      // Every event of the process carries what its first event captured.
      if (first) cmdline = e.process->cmdline;
      first = false;
      CHECK(e.process->cmdline == cmdline);
    }
    if (cmdline == "sh -c " + script) ++with_cmdline;
    const FsEvent* close_ev = w.Find(EventKind::kCloseWrite, f, pid);
    REQUIRE(close_ev->content.has_value());
    CHECK(*close_ev->content == "a\nb\n");
  }
  CHECK((w.source->execs_seen() > 0) == capture_at_exec);
  return with_cmdline;
}

TEST_CASE("FanotifySource: a short-lived sh writer is named (cmdline read at exec)") {
  SKIP_UNLESS_ROOT();
  constexpr int kRuns = 20;
  const int at_exec = ShortLivedWritersNamed(true, kRuns);
  const int at_first_event = ShortLivedWritersNamed(false, kRuns);
  MESSAGE("short-lived `sh -c '{ echo a; echo b; } > f'`: full cmdline for "
          << at_exec << " of " << kRuns << " with the exec listener, " << at_first_event
          << " of " << kRuns << " from the first file event alone");
  // Timing-dependent (a loaded machine delays the daemon's wake-up), so
  // not all; but reading at exec must name some, and comm always.
  CHECK(at_exec >= 1);
}

TEST_CASE("FanotifySource: events outside the root are not delivered") {
  SKIP_UNLESS_ROOT();
  TestTree tree;
  TestTree outside;
  Watch w(tree);
  REQUIRE(w.Start());
  Child c(tree.root(), "echo x > \"$0\"/outside-marker.mod; echo y > inside.mod", {outside.root()});
  REQUIRE(w.WaitFor(EventKind::kCloseWrite, "inside.mod"));
  CHECK(c.Wait() == 0);
  CHECK_FALSE(w.SawPathContaining("outside-marker"));
  CHECK(w.source->dropped_outside() > 0);
  for (const auto& e : w.events) {
    CHECK(e.path.rfind("/", 0) != 0);  // relative, never absolute
    CHECK(e.path.find("..") == std::string::npos);
  }
}

TEST_CASE("FanotifySource: create, delete and moves, with directory handles kept current") {
  SKIP_UNLESS_ROOT();
  TestTree tree;
  TestTree outside;
  tree.Write("old/existing.mod", "before\n");
  Watch w(tree);
  REQUIRE(w.Start());
  // Start-up lists what is there.
  const FsEvent* existing = w.Find(EventKind::kExisting, "old/existing.mod");
  REQUIRE(existing != nullptr);
  CHECK(existing->content == std::optional<std::string>("before\n"));
  CHECK(w.Find(EventKind::kExisting, "old") != nullptr);

  Child mk(tree.root(), "mkdir -p a/b/c && echo x > a/b/c/m.mod");
  REQUIRE(w.WaitFor(EventKind::kCloseWrite, "a/b/c/m.mod"));
  CHECK(mk.Wait() == 0);
  const FsEvent* created = w.Find(EventKind::kCreate, "a");
  REQUIRE(created != nullptr);
  CHECK(created->is_dir);
  CHECK(w.Find(EventKind::kCreate, "a/b/c") != nullptr);
  CHECK(w.Find(EventKind::kCreate, "a/b/c/m.mod") != nullptr);
  CHECK(w.Find(EventKind::kCloseWrite, "a/b/c/m.mod")->content ==
        std::optional<std::string>("x\n"));

  // Renaming a directory: later events under it carry the new path.
  Child mv(tree.root(), "mv a z && echo y > z/b/c/n.mod");
  REQUIRE(w.WaitFor(EventKind::kCloseWrite, "z/b/c/n.mod"));
  CHECK(mv.Wait() == 0);
  CHECK(w.Find(EventKind::kMovedFrom, "a") != nullptr);
  CHECK(w.Find(EventKind::kMovedTo, "z") != nullptr);
  CHECK_FALSE(w.SawPathContaining("a/b/c/n.mod"));

  Child rm(tree.root(), "rm z/b/c/m.mod && mv z/b/c/n.mod z/b/c/k.mod");
  REQUIRE(w.WaitFor(EventKind::kMovedTo, "z/b/c/k.mod"));
  CHECK(rm.Wait() == 0);
  CHECK(w.Find(EventKind::kDelete, "z/b/c/m.mod") != nullptr);
  CHECK(w.Find(EventKind::kMovedFrom, "z/b/c/n.mod") != nullptr);
  CHECK(w.Find(EventKind::kMovedTo, "z/b/c/k.mod")->content ==
        std::optional<std::string>("y\n"));

  // A directory filled outside and moved in: its contents are listed.
  Child in(tree.root(),
           "mkdir -p \"$0\"/d/e && echo q > \"$0\"/d/e/q.mod && mv \"$0\"/d moved-in && "
           "echo r > moved-in/e/r.mod",
           {outside.root()});
  // r.mod is written right after the move: before the source read the
  // move, the kernel may still have dropped its events (had d/e been
  // ignored outside); the scan that follows the move then reports it.
  REQUIRE(RunUntil(&w.loop, [&] {
    return w.Find(EventKind::kCloseWrite, "moved-in/e/r.mod") ||
           w.Find(EventKind::kExisting, "moved-in/e/r.mod");
  }));
  CHECK(in.Wait() == 0);
  const FsEvent* moved = w.Find(EventKind::kMovedTo, "moved-in");
  REQUIRE(moved != nullptr);
  CHECK(moved->is_dir);
  const FsEvent* q = w.Find(EventKind::kExisting, "moved-in/e/q.mod");
  REQUIRE(q != nullptr);
  CHECK(q->content == std::optional<std::string>("q\n"));

  Child rmdir(tree.root(), "rm -r moved-in");
  REQUIRE(w.WaitFor(EventKind::kDelete, "moved-in"));
  CHECK(rmdir.Wait() == 0);
  CHECK(w.Find(EventKind::kDelete, "moved-in")->is_dir);
  CHECK(w.source->overflows() == 0u);
}

TEST_CASE("FanotifySource: the daemon's own events are dropped, barrier markers kept") {
  SKIP_UNLESS_ROOT();
  TestTree tree;
  FanotifyOptions o;
  o.keep_own_event = [](std::string_view path) {
    return path.rfind(".modrace-barrier-", 0) == 0;
  };
  Watch w(tree, o);
  REQUIRE(w.Start());
  tree.Write("own.mod", "mine\n");  // written by this process
  tree.Write(".modrace-barrier-1-1", "");
  REQUIRE(w.WaitFor(EventKind::kCloseWrite, ".modrace-barrier-1-1"));
  REQUIRE(w.Settle());
  CHECK_FALSE(w.SawPathContaining("own.mod"));
  const FsEvent* marker = w.Find(EventKind::kCloseWrite, ".modrace-barrier-1-1");
  REQUIRE(marker->process != nullptr);
  CHECK(marker->process->pid == getpid());
}

TEST_CASE("FanotifySource: queue overflow -> kOverflow, rescan, kRescanDone, still running") {
  SKIP_UNLESS_ROOT();
  long max_queued = -1;
  if (FILE* f = fopen("/proc/sys/fs/fanotify/max_queued_events", "re")) {
    if (fscanf(f, "%ld", &max_queued) != 1) max_queued = -1;
    fclose(f);
  }
  if (max_queued <= 0 || max_queued > 200000) {
    MESSAGE("SKIPPED: fs.fanotify.max_queued_events=" << max_queued
                                                       << " is too large to overflow cheaply");
    return;
  }
  TestTree tree;
  tree.Write(".tmp_versions/keep.mod", "drivers/a/keep.ko\n");
  Watch w(tree);
  REQUIRE(w.Start());
  w.events.clear();
  // One event per file (the kernel merges a file's create/open/close of one
  // pid): more files than the queue holds, with the loop not running.
  const long files = max_queued + 2000;
  Child c(tree.root(),
          "mkdir many && cd many && i=0; while [ $i -lt $0 ]; do : > f$i; i=$((i+1)); done",
          {std::to_string(files)});
  CHECK(c.Wait() == 0);
  REQUIRE(RunUntil(&w.loop, [&] { return w.CountKind(EventKind::kRescanDone) > 0; }, 30000));
  CHECK(w.source->overflows() >= 1u);
  const auto overflow = std::find_if(w.events.begin(), w.events.end(), [](const FsEvent& e) {
    return e.kind == EventKind::kOverflow;
  });
  REQUIRE(overflow != w.events.end());
  CHECK(overflow->detail.find("max_queued_events") != std::string::npos);
  const FsEvent* keep = w.Find(EventKind::kExisting, ".tmp_versions/keep.mod");
  REQUIRE(keep != nullptr);
  CHECK(keep->content == std::optional<std::string>("drivers/a/keep.ko\n"));
  CHECK(w.Find(EventKind::kExisting, "many/f0") != nullptr);
  // Still running after it.
  CHECK(w.Settle());
}

TEST_CASE("FanotifySource: the mount-mark fallback still names writers") {
  SKIP_UNLESS_ROOT();
  TestTree tree;
  FanotifyOptions o;
  o.mode = FanotifyMode::kMountFd;
  Watch w(tree, o);
  REQUIRE(w.Start());
  CHECK(w.source->mode() == FanotifyMode::kMountFd);
  Child c(tree.root(), "mkdir -p sub && echo hello > sub/x.mod");
  REQUIRE(w.WaitFor(EventKind::kCloseWrite, "sub/x.mod", c.pid));
  const pid_t pid = c.pid;
  CHECK(c.Wait() == 0);
  const FsEvent* open_ev = w.Find(EventKind::kOpen, "sub/x.mod");
  REQUIRE(open_ev != nullptr);
  REQUIRE(open_ev->process != nullptr);
  CHECK(open_ev->process->pid == pid);
  CHECK(open_ev->process->comm == "sh");
  CHECK(w.Find(EventKind::kCloseWrite, "sub/x.mod")->content ==
        std::optional<std::string>("hello\n"));
  CHECK(w.Find(EventKind::kCreate, "sub") == nullptr);  // no names in this mode
}

// A shell reading the same ten files outside the root 1000 times over, and
// one inside the tree as often, while the loop reads. Returns how many of
// its events were read only to be dropped as outside the root (the rest of
// the machine's are not counted: the filesystem mark sees them too).
uint64_t DroppedOutsideOfRereads(bool ignore_outside) {
  TestTree tree;
  TestTree outside;
  for (int i = 0; i < 10; ++i) outside.Write("lib/h" + std::to_string(i) + ".h", "x\n");
  tree.Write("in.h", "y\n");
  FanotifyOptions o;
  o.ignore_outside = ignore_outside;
  pid_t counted = -1;
  uint64_t dropped = 0;
  o.on_dropped_outside = [&](int32_t pid) { dropped += pid == counted; };
  Watch w(tree, o);
  REQUIRE(w.Start());
  REQUIRE(w.source->ignoring_outside() == ignore_outside);
  // One read of each first: the directory's first events (it is marked at
  // its second).
  const std::string read_all = "for f in \"$0\"/lib/*.h; do read x < \"$f\"; done";
  Child first(tree.root(), read_all, {outside.root()});
  CHECK(first.Wait() == 0);
  REQUIRE(w.Settle());
  if (ignore_outside) {
    CHECK(w.source->ignore_marks() >= 1);
    const std::set<unsigned long> ignored = IgnoredInodes();
    CHECK(ignored.count(InodeOf(outside.Abs("lib"))) == 1);
    CHECK(ignored.count(InodeOf(tree.root())) == 0);
  } else {
    CHECK(w.source->ignore_marks() == 0);
  }
  // Shell builtins only: no exec, no shared library opened.
  Child many(tree.root(),
             "i=0; while [ $i -lt 1000 ]; do " + read_all +
                 "; read x < in.h; i=$((i+1)); done; echo done > done.mod",
             {outside.root()});
  const pid_t pid = many.pid;
  counted = pid;
  REQUIRE(RunUntil(&w.loop, [&] { return w.Find(EventKind::kCloseWrite, "done.mod") != nullptr; },
                   60000));
  CHECK(many.Wait() == 0);
  // Inside the tree nothing is ignored.
  CHECK(w.Find(EventKind::kOpen, "in.h", pid) != nullptr);
  CHECK(w.Find(EventKind::kCloseNoWrite, "in.h", pid) != nullptr);
  CHECK_FALSE(w.SawPathContaining("h0.h"));
  return dropped;
}

TEST_CASE("FanotifySource: a directory outside the root is ignored in the kernel after its "
          "second event") {
  SKIP_UNLESS_ROOT();
  const uint64_t ignored = DroppedOutsideOfRereads(true);
  const uint64_t read_and_dropped = DroppedOutsideOfRereads(false);
  MESSAGE("11,000 reads outside the root after the first: " << read_and_dropped
          << " events read and dropped without ignore marks, " << ignored << " with them");
  // None but after an eviction of a mark (memory pressure).
  CHECK(ignored <= 5);
  CHECK(read_and_dropped > ignored);
}

TEST_CASE("FanotifySource: directories ignored outside and moved into the root lose their marks") {
  SKIP_UNLESS_ROOT();
  TestTree tree;
  TestTree outside;
  // Two files in each directory: two events there (one file's open and
  // close may merge into one), and so a mark.
  outside.Write("d/f.h", "f\n");
  outside.Write("d/f2.h", "f\n");
  outside.Write("d/e/g.h", "g\n");
  outside.Write("d/e/g2.h", "g\n");
  outside.Write("lone.mod", "lone\n");
  outside.Write("lone2.mod", "lone\n");
  Watch w(tree);
  REQUIRE(w.Start());
  REQUIRE(w.source->ignoring_outside());
  Child reader(tree.root(), "cd \"$0\" && cat d/f.h d/f2.h d/e/g.h d/e/g2.h lone*.mod > /dev/null",
               {outside.root()});
  CHECK(reader.Wait() == 0);
  REQUIRE(w.Settle());
  const unsigned long d = InodeOf(outside.Abs("d"));
  const unsigned long e = InodeOf(outside.Abs("d/e"));
  std::set<unsigned long> ignored = IgnoredInodes();
  REQUIRE(ignored.count(d) == 1);
  REQUIRE(ignored.count(e) == 1);
  CHECK(ignored.count(InodeOf(outside.root())) == 1);

  // A directory and a file moved in; the file's inode never had a mark.
  Child mv(tree.root(), "mv \"$0\"/d moved && mv \"$0\"/lone.mod lone.mod", {outside.root()});
  REQUIRE(w.WaitFor(EventKind::kMovedTo, "lone.mod"));
  CHECK(mv.Wait() == 0);
  REQUIRE(w.Find(EventKind::kMovedTo, "moved") != nullptr);
  CHECK(w.Find(EventKind::kExisting, "moved/e/g.h") != nullptr);
  CHECK(w.source->ignore_marks_removed() == 2);
  ignored = IgnoredInodes();
  CHECK(ignored.count(d) == 0);
  CHECK(ignored.count(e) == 0);

  Child writer(tree.root(),
               "echo r > moved/r.mod && echo s > moved/e/s.mod && cat moved/e/g.h > /dev/null && "
               "echo t >> lone.mod");
  const pid_t pid = writer.pid;
  REQUIRE(w.WaitFor(EventKind::kCloseWrite, "lone.mod", pid));
  CHECK(writer.Wait() == 0);
  CHECK(w.Find(EventKind::kCreate, "moved/r.mod", pid) != nullptr);
  CHECK(w.Find(EventKind::kCloseWrite, "moved/r.mod", pid) != nullptr);
  CHECK(w.Find(EventKind::kCloseWrite, "moved/e/s.mod", pid) != nullptr);
  CHECK(w.Find(EventKind::kCloseNoWrite, "moved/e/g.h") != nullptr);
  CHECK(w.Find(EventKind::kCloseWrite, "lone.mod", pid)->content ==
        std::optional<std::string>("lone\nt\n"));
}

TEST_CASE("FanotifySource: a rescan removes the marks of directories moved in unseen") {
  SKIP_UNLESS_ROOT();
  TestTree tree;
  TestTree outside;
  outside.Write("d/f.h", "f\n");
  outside.Write("d/f2.h", "f\n");
  Watch w(tree);
  REQUIRE(w.Start());
  REQUIRE(w.source->ignoring_outside());
  Child reader(tree.root(), "cat \"$0\"/d/f.h \"$0\"/d/f2.h > /dev/null", {outside.root()});
  CHECK(reader.Wait() == 0);
  REQUIRE(w.Settle());
  const unsigned long d = InodeOf(outside.Abs("d"));
  REQUIRE(IgnoredInodes().count(d) == 1);
  // Moved in while the loop is not running: its moved-to is not read yet,
  // as if lost in an overflow.
  Child mv(tree.root(), "mv \"$0\"/d moved", {outside.root()});
  CHECK(mv.Wait() == 0);
  w.source->Rescan("by the test");
  CHECK(IgnoredInodes().count(d) == 0);
  CHECK(w.source->ignore_marks_removed() == 1);
  CHECK(w.Find(EventKind::kExisting, "moved/f.h") != nullptr);
  Child writer(tree.root(), "echo r > moved/r.mod");
  REQUIRE(w.WaitFor(EventKind::kCloseWrite, "moved/r.mod", writer.pid));
  CHECK(writer.Wait() == 0);
}

// The root's parent ignored (a read beside the root, a listing of it), then
// `how` run in the parent. Returns what on_root_gone said ("" if nothing).
std::string RootGoneWithParentIgnored(const std::string& how) {
  TestTree outer;
  outer.Write("root/keep.mod", "k\n");
  outer.Write("beside.h", "b\n");
  outer.Write("beside2.h", "b\n");
  const std::string root = outer.Abs("root");
  std::string why;
  FanotifyOptions o;
  o.on_root_gone = [&](const std::string& w) { why = w; };
  Watch w(root, o);
  REQUIRE(w.Start());
  REQUIRE(w.source->ignoring_outside());
  Child c(root, "cat ../beside.h ../beside2.h > /dev/null && ls .. > /dev/null");
  CHECK(c.Wait() == 0);
  REQUIRE(w.Settle());
  const std::set<unsigned long> ignored = IgnoredInodes();
  CHECK(ignored.count(InodeOf(outer.root())) == 1);
  CHECK(ignored.count(InodeOf(root)) == 0);
  Child gone(outer.root(), how);
  CHECK(gone.Wait() == 0);
  CHECK(RunUntil(&w.loop, [&] { return !why.empty(); }));
  return why;
}

TEST_CASE("FanotifySource: the root removed or renamed is reported with its parent ignored") {
  SKIP_UNLESS_ROOT();
  const std::string removed = RootGoneWithParentIgnored("rm -r root");
  CHECK(removed.find("was removed") != std::string::npos);
  const std::string renamed = RootGoneWithParentIgnored("mv root root.moved");
  CHECK(renamed.find("moved away") != std::string::npos);
}

}  // namespace modrace

namespace modrace {

TEST_CASE("whole_read_as_close: a whole read is its close-nowrite alone; a write keeps its open") {
  SKIP_UNLESS_ROOT();
  for (const bool whole : {true, false}) {
    CAPTURE(whole);
    TestTree tree;
    tree.Write("a.h", "x\n");
    FanotifyOptions o;
    o.whole_read_as_close = whole;
    Watch w(tree, o);
    REQUIRE(w.Start());
    // The loop does not turn while the child runs: each process's events
    // on a file merge into one record (open and close-nowrite for the read).
    Child c(tree.root(), "cat a.h > /dev/null; echo y > b.o");
    REQUIRE(c.Wait() == 0);
    REQUIRE(w.Settle());
    int read_opens = 0;
    int read_closes = 0;
    for (const auto& e : w.events) {
      if (e.path != "a.h") continue;
      read_opens += e.kind == EventKind::kOpen;
      read_closes += e.kind == EventKind::kCloseNoWrite;
    }
    CHECK(read_closes == 1);
    CHECK(read_opens == (whole ? 0 : 1));
    CHECK(w.Find(EventKind::kOpen, "b.o") != nullptr);
    CHECK(w.Find(EventKind::kModify, "b.o") != nullptr);
    CHECK(w.Find(EventKind::kCloseWrite, "b.o") != nullptr);
  }
}

TEST_CASE("scan_reports: a scan reports what it holds; its directories join the stream anyway") {
  SKIP_UNLESS_ROOT();
  TestTree tree;
  tree.Write("sub/a.c", "");
  tree.Write("sub/deeper/b.mod", "x\n");
  FanotifyOptions o;
  o.scan_reports = WantsModContent;
  Watch w(tree, o);
  REQUIRE(w.Start());
  CHECK(w.Find(EventKind::kExisting, "sub/deeper/b.mod") != nullptr);
  CHECK(w.Find(EventKind::kExisting, "sub/a.c") == nullptr);
  CHECK(w.Find(EventKind::kExisting, "sub") == nullptr);
  CHECK(w.Find(EventKind::kExisting, "sub/deeper") == nullptr);
  // Events in the unreported directories still come through.
  Child c(tree.root(), "echo y > sub/deeper/c.o");
  REQUIRE(c.Wait() == 0);
  REQUIRE(w.Settle());
  CHECK(w.Find(EventKind::kCloseWrite, "sub/deeper/c.o") != nullptr);
}

}  // namespace modrace

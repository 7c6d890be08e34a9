// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/inotify_source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "common/strings.h"
#include "daemon/test_loop.h"
#include "common/test_tree.h"

namespace modrace {

namespace {

bool WantsModContent(std::string_view path) { return EndsWith(path, ".mod"); }

// fs.inotify.max_queued_events: the kernel queue's length.
long MaxQueuedEvents() {
  FILE* f = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
  long v = 16384;
  if (f) {
    if (fscanf(f, "%ld", &v) != 1) v = 16384;
    fclose(f);
  }
  return v;
}

// One source on its own loop, collecting what it emits.
struct Watch {
  explicit Watch(const TestTree& tree, InotifyOptions opts = {}) {
    uv_loop_init(&loop);
    opts.root = tree.root();
    if (!opts.wants_content) opts.wants_content = WantsModContent;
    source = std::make_unique<InotifySource>(
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
  // Writes a sentinel file and runs the loop until its close-write arrives:
  // everything done before it has then been read.
  bool Settle(const TestTree& tree) {
    const std::string name = "sentinel-" + std::to_string(++sentinels);
    tree.Write(name, "x");
    return RunUntil(&loop, [&] { return Find(EventKind::kCloseWrite, name) != nullptr; });
  }
  const FsEvent* Find(EventKind kind, const std::string& path) const {
    for (const auto& e : events) {
      if (e.kind == kind && e.path == path) return &e;
    }
    return nullptr;
  }
  int Count(EventKind kind, const std::string& path) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const FsEvent& e) {
      return e.kind == kind && e.path == path;
    }));
  }
  int CountKind(EventKind kind) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(),
                                          [&](const FsEvent& e) { return e.kind == kind; }));
  }
  bool SawPath(const std::string& path) const {
    return std::any_of(events.begin(), events.end(),
                       [&](const FsEvent& e) { return e.path == path; });
  }

  uv_loop_t loop;
  std::unique_ptr<InotifySource> source;
  std::vector<FsEvent> events;
  int batches = 0;
  int sentinels = 0;
};

}  // namespace

TEST_CASE("start-up reports what exists, with content, and never follows symlinks") {
  TestTree tree;
  TestTree outside;
  tree.Write(".tmp_versions/asix.mod", "drivers/net/phy/asix.ko\n");
  tree.Write("drivers/net/usb/asix.o", "obj");
  outside.Write("secret/x.mod", "outside\n");
  REQUIRE(symlink(outside.root().c_str(), tree.Abs("link").c_str()) == 0);
  Watch w(tree);
  REQUIRE(w.Start());
  const FsEvent* mod = w.Find(EventKind::kExisting, ".tmp_versions/asix.mod");
  REQUIRE(mod != nullptr);
  REQUIRE(mod->content.has_value());
  CHECK(*mod->content == "drivers/net/phy/asix.ko\n");
  CHECK(w.Find(EventKind::kExisting, "drivers/net/usb") != nullptr);
  CHECK(w.Find(EventKind::kExisting, "drivers/net/usb")->is_dir);
  const FsEvent* obj = w.Find(EventKind::kExisting, "drivers/net/usb/asix.o");
  REQUIRE(obj != nullptr);
  CHECK_FALSE(obj->content.has_value());  // not an artifact whose content matters
  CHECK(w.Find(EventKind::kExisting, "link") != nullptr);
  CHECK_FALSE(w.SawPath("link/secret"));
  CHECK_FALSE(w.SawPath("link/secret/x.mod"));
  CHECK(w.source->watched_dirs() == 5);  // "", .tmp_versions, drivers, net, usb
  // A write through the symlink happens outside the tree: not reported.
  outside.Write("secret/x.mod", "changed\n");
  REQUIRE(w.Settle(tree));
  CHECK_FALSE(w.SawPath("link/secret/x.mod"));
}

TEST_CASE("a write gives open, modify, close_write with content; our reads stay out") {
  TestTree tree;
  tree.Mkdir(".tmp_versions");
  Watch w(tree);
  REQUIRE(w.Start());
  w.events.clear();
  tree.Write(".tmp_versions/asix.mod", "drivers/net/usb/asix.ko\n");
  REQUIRE(w.Settle(tree));
  const std::string p = ".tmp_versions/asix.mod";
  CHECK(w.Count(EventKind::kCreate, p) == 1);
  CHECK(w.Count(EventKind::kOpen, p) == 1);  // the daemon's own read is not here
  CHECK(w.Count(EventKind::kModify, p) >= 1);
  CHECK(w.Count(EventKind::kCloseNoWrite, p) == 0);
  REQUIRE(w.Count(EventKind::kCloseWrite, p) == 1);
  CHECK(*w.Find(EventKind::kCloseWrite, p)->content == "drivers/net/usb/asix.ko\n");
  // A real reader of the file does show up.
  FILE* f = fopen(tree.Abs(p).c_str(), "r");
  REQUIRE(f != nullptr);
  fclose(f);
  REQUIRE(w.Settle(tree));
  CHECK(w.Count(EventKind::kOpen, p) == 2);
  CHECK(w.Count(EventKind::kCloseNoWrite, p) == 1);
}

TEST_CASE("our read after the first of two quick writes never hides the second open") {
  TestTree tree;
  tree.Mkdir(".tmp_versions");
  Watch w(tree);
  REQUIRE(w.Start());
  w.events.clear();
  const std::string p = ".tmp_versions/asix.mod";
  // Both writes are queued before the source reads anything: our content
  // read for the first close comes after the second open in the queue.
  tree.Write(p, "drivers/net/phy/asix.ko\n");
  tree.Write(p, "drivers/net/usb/asix.ko\n");
  REQUIRE(w.Settle(tree));
  CHECK(w.Count(EventKind::kOpen, p) == 2);
  CHECK(w.Count(EventKind::kCloseWrite, p) == 2);
  CHECK(w.Count(EventKind::kCloseNoWrite, p) == 0);
}

TEST_CASE("two write handles open at once: two closes, the opens merged by the kernel") {
  TestTree tree;
  tree.Write(".tmp_versions/asix.mod", "");
  Watch w(tree);
  REQUIRE(w.Start());
  w.events.clear();
  const std::string p = ".tmp_versions/asix.mod";
  const int a = open(tree.Abs(p).c_str(), O_WRONLY | O_TRUNC);
  const int b = open(tree.Abs(p).c_str(), O_WRONLY | O_TRUNC);
  REQUIRE(a >= 0);
  REQUIRE(b >= 0);
  REQUIRE(write(a, "drivers/net/phy/asix.ko\n", 24) == 24);
  close(a);
  // Something between the closes, or the kernel merges them as well.
  REQUIRE(write(b, "drivers/net/usb/asix.ko\n", 24) == 24);
  close(b);
  REQUIRE(w.Settle(tree));
  CHECK(w.Count(EventKind::kCloseWrite, p) == 2);
  CHECK(w.Count(EventKind::kOpen, p) >= 1);
  CHECK(w.Count(EventKind::kOpen, p) <= 2);
}

TEST_CASE("mkdir -p and a write before the watch exists are still seen") {
  TestTree tree;
  Watch w(tree);
  REQUIRE(w.Start());
  // All of this happens before the loop reads a single event.
  tree.Write("a/b/c/m.mod", "a/b/c/m.ko\n");
  tree.Write("a/b/d/n.mod", "a/b/d/n.ko\n");
  REQUIRE(w.Settle(tree));
  for (const std::string p : {"a/b/c/m.mod", "a/b/d/n.mod"}) {
    bool with_content = false;
    for (const auto& e : w.events) {
      if (e.path == p && e.content && !e.content->empty()) with_content = true;
    }
    CHECK_MESSAGE(with_content, p);
  }
  CHECK(w.source->watched_dirs() == 5);
  // The new directories are watched: later writes arrive as events.
  w.events.clear();
  tree.Write("a/b/c/m.mod", "again\n");
  REQUIRE(w.Settle(tree));
  CHECK(w.Count(EventKind::kCloseWrite, "a/b/c/m.mod") == 1);
}

TEST_CASE("moves: files and directories in, out and within the tree") {
  TestTree tree;
  TestTree outside;
  tree.Mkdir("src");
  outside.Write("incoming/x.mod", "x.ko\n");
  outside.Write("file.mod", "f.ko\n");
  Watch w(tree);
  REQUIRE(w.Start());
  w.events.clear();
  REQUIRE(rename(outside.Abs("file.mod").c_str(), tree.Abs("src/file.mod").c_str()) == 0);
  REQUIRE(rename(outside.Abs("incoming").c_str(), tree.Abs("src/incoming").c_str()) == 0);
  REQUIRE(w.Settle(tree));
  const FsEvent* moved = w.Find(EventKind::kMovedTo, "src/file.mod");
  REQUIRE(moved != nullptr);
  CHECK(*moved->content == "f.ko\n");
  CHECK(w.Find(EventKind::kMovedTo, "src/incoming") != nullptr);
  const FsEvent* inside = w.Find(EventKind::kExisting, "src/incoming/x.mod");
  REQUIRE(inside != nullptr);
  CHECK(*inside->content == "x.ko\n");

  // Within the tree: later events use the new path.
  REQUIRE(rename(tree.Abs("src/incoming").c_str(), tree.Abs("moved").c_str()) == 0);
  REQUIRE(w.Settle(tree));
  w.events.clear();
  tree.Write("moved/x.mod", "y.ko\n");
  REQUIRE(w.Settle(tree));
  CHECK(w.Count(EventKind::kCloseWrite, "moved/x.mod") == 1);
  CHECK_FALSE(w.SawPath("src/incoming/x.mod"));

  // Out of the tree: no more events from it.
  REQUIRE(rename(tree.Abs("moved").c_str(), outside.Abs("gone").c_str()) == 0);
  REQUIRE(w.Settle(tree));
  CHECK(w.Find(EventKind::kMovedFrom, "moved") != nullptr);
  w.events.clear();
  outside.Write("gone/x.mod", "z.ko\n");
  REQUIRE(w.Settle(tree));
  CHECK_FALSE(w.SawPath("moved/x.mod"));
  CHECK(w.source->watched_dirs() == 2);  // "" and src
}

TEST_CASE("a deleted directory's watch goes away (IN_IGNORED)") {
  TestTree tree;
  tree.Write("d/e/f.mod", "f.ko\n");
  Watch w(tree);
  REQUIRE(w.Start());
  CHECK(w.source->watched_dirs() == 3);
  REQUIRE(RemoveTree(tree.Abs("d")));
  REQUIRE(w.Settle(tree));
  CHECK(w.Find(EventKind::kDelete, "d") != nullptr);
  CHECK(w.source->watched_dirs() == 1);
  // Recreated under the same name: watched again.
  tree.Write("d/e/f.mod", "again\n");
  REQUIRE(w.Settle(tree));
  CHECK(w.source->watched_dirs() == 3);
}

TEST_CASE("many events in one go: large reads lose nothing") {
  TestTree tree;
  tree.Mkdir("many");
  Watch w(tree);
  REQUIRE(w.Start());
  for (int i = 0; i < 3000; ++i) tree.Write("many/f" + std::to_string(i) + ".mod", "x\n");
  REQUIRE(w.Settle(tree));
  CHECK(w.CountKind(EventKind::kCloseWrite) == 3001);
  CHECK(w.CountKind(EventKind::kOverflow) == 0);
}

TEST_CASE("queue overflow: kOverflow, a rescan of what is on disk, kRescanDone") {
  TestTree tree;
  tree.Mkdir(".tmp_versions");
  tree.Write("old.c", "int x;\n");
  InotifyOptions opts;
  // The reader keeps at most this much for a loop that does not turn; the
  // rest stays in the kernel's queue, which then overflows.
  opts.max_unread_bytes = 64 * 1024;
  opts.scan_reports = WantsModContent;
  Watch w(tree, opts);
  REQUIRE(w.Start());
  w.events.clear();
  const long max_queued = MaxQueuedEvents();
  if (max_queued > 200000) {
    MESSAGE("skipped: fs.inotify.max_queued_events=" << max_queued << " is too large to overflow");
    return;
  }
  // The loop does not turn while this happens: the queue overflows.
  const std::string p = tree.Abs("churn");
  int failed_opens = 0;
  for (long i = 0; i < max_queued; ++i) {
    const int fd = open(p.c_str(), O_WRONLY | O_CREAT, 0644);
    if (fd < 0) ++failed_opens;
    close(fd);
  }
  REQUIRE(failed_opens == 0);
  // A clash written during the lost window is found on disk by the rescan.
  tree.Write("x/.tmp_versions/asix.mod", "drivers/net/usb/asix.ko\n");
  REQUIRE(RunUntil(&w.loop, [&] { return w.CountKind(EventKind::kRescanDone) > 0; }));
  CHECK(w.CountKind(EventKind::kOverflow) == 1);
  CHECK(w.source->overflows() == 1);
  const FsEvent* overflow = nullptr;
  size_t overflow_at = 0, clash_at = 0, done_at = 0;
  for (size_t i = 0; i < w.events.size(); ++i) {
    const FsEvent& e = w.events[i];
    if (e.kind == EventKind::kOverflow) overflow = &e, overflow_at = i;
    if (e.kind == EventKind::kExisting && e.path == "x/.tmp_versions/asix.mod") clash_at = i;
    if (e.kind == EventKind::kRescanDone) done_at = i;
  }
  REQUIRE(overflow != nullptr);
  CHECK(overflow->detail.find("max_queued_events") != std::string::npos);
  CHECK(overflow_at < clash_at);
  CHECK(clash_at < done_at);
  CHECK(w.CountKind(EventKind::kRescanDone) == 1);
  // Bounded: what scan_reports holds, not one event per file.
  CHECK(w.Find(EventKind::kExisting, "old.c") == nullptr);
  CHECK(w.Find(EventKind::kExisting, "churn") == nullptr);
  CHECK(w.Find(EventKind::kExisting, "x") == nullptr);
  CHECK(*w.events[clash_at].content == "drivers/net/usb/asix.ko\n");
  // Still watching afterwards, including the directory made in the window.
  w.events.clear();
  tree.Write("x/.tmp_versions/asix.mod", "again\n");
  REQUIRE(w.Settle(tree));
  CHECK(w.Count(EventKind::kCloseWrite, "x/.tmp_versions/asix.mod") == 1);
}

TEST_CASE("a tree whose own listing queues more than the kernel keeps starts without overflow") {
  // Listing a watched directory queues its open and close twice (on its
  // own watch and its parent's): four events a directory, read while the
  // walk goes on (daemon/queue_reader.h).
  TestTree tree;
  const long max_queued = MaxQueuedEvents();
  const long dirs = max_queued / 4 + 2000;
  if (dirs > 60000) {
    MESSAGE("skipped: fs.inotify.max_queued_events=" << max_queued << " is too large");
    return;
  }
  for (long i = 0; i < dirs; ++i) tree.Mkdir("d" + std::to_string(i / 100) + "/" + std::to_string(i));
  Watch w(tree);
  REQUIRE(w.Start());
  REQUIRE(w.Settle(tree));
  CHECK(w.CountKind(EventKind::kOverflow) == 0);
  CHECK(w.source->watched_dirs() >= static_cast<size_t>(dirs));
  // And a rescan, which lists them all again, makes no overflow either.
  w.source->Rescan("by the test");
  REQUIRE(w.Settle(tree));
  CHECK(w.CountKind(EventKind::kOverflow) == 0);
  CHECK(w.CountKind(EventKind::kRescanDone) == 1);
}

TEST_CASE("the watch limit (injected ENOSPC): unwatched directories are named, the rest works") {
  TestTree tree;
  tree.Write("ok/a.mod", "a.ko\n");
  tree.Write("full/b.mod", "b.ko\n");
  tree.Write("full/deeper/c.mod", "c.ko\n");
  InotifyOptions opts;
  opts.add_watch = [](int fd, const char* path, uint32_t mask) {
    if (strstr(path, "/full") != nullptr) {
      errno = ENOSPC;
      return -1;
    }
    return inotify_add_watch(fd, path, mask);
  };
  Watch w(tree, opts);
  REQUIRE(w.Start());
  CHECK(w.source->unwatched_dirs() == 2);
  const FsEvent* u = w.Find(EventKind::kUnwatched, "full");
  REQUIRE(u != nullptr);
  CHECK(u->detail.find("fs.inotify.max_user_watches") != std::string::npos);
  CHECK(u->detail.find("at least") != std::string::npos);
  CHECK(u->cause == GapCause::kWatchLimit);
  CHECK(w.Find(EventKind::kUnwatched, "full/deeper") != nullptr);
  // Listed anyway: what is there now is known.
  REQUIRE(w.Find(EventKind::kExisting, "full/deeper/c.mod") != nullptr);
  // New directories under the limit are refused too, once each, and the
  // watched part keeps working.
  tree.Mkdir("full2");
  tree.Write("ok/a.mod", "again\n");
  REQUIRE(w.Settle(tree));
  CHECK(w.Count(EventKind::kUnwatched, "full2") == 1);
  CHECK(w.Count(EventKind::kCloseWrite, "ok/a.mod") == 1);
  w.source->Rescan("by the test");
  CHECK(w.Count(EventKind::kUnwatched, "full") == 1);  // not repeated
}

TEST_CASE("the root itself cannot be watched: Start fails with a reason") {
  TestTree tree;
  InotifyOptions opts;
  opts.add_watch = [](int, const char*, uint32_t) {
    errno = ENOSPC;
    return -1;
  };
  Watch w(tree, opts);
  std::string error;
  CHECK_FALSE(w.source->Start(&error));
  CHECK(error.find("max_user_watches") != std::string::npos);
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/analyzer.h"

#include <doctest/doctest.h>

namespace modrace {

namespace {

// Feeds events with increasing seqs.
struct Feed {
  Analyzer analyzer;
  uint64_t seq = 0;

  explicit Feed(std::string root = "") : analyzer(std::move(root)) {}

  void Event(EventKind kind, const std::string& path,
             std::optional<std::string> content = std::nullopt) {
    FsEvent e;
    e.seq = ++seq;
    e.time_ns = static_cast<int64_t>(seq) * 1000;
    e.kind = kind;
    e.path = path;
    e.content = std::move(content);
    analyzer.Consume(e);
  }
  // Found on disk by a scan, as the daemon's start-up scan and `modrace
  // audit` send it.
  void Existing(const std::string& path, const std::string& content) {
    Event(EventKind::kExisting, path, content);
  }
  void Write(const std::string& path, const std::string& content) {
    Event(EventKind::kCreate, path);
    Event(EventKind::kOpen, path);
    Event(EventKind::kModify, path);
    Event(EventKind::kCloseWrite, path, content);
  }
  size_t Count(FindingKind kind) const {
    size_t n = 0;
    for (const auto& f : analyzer.findings()) n += f.kind == kind;
    return n;
  }
  const Finding* First(FindingKind kind) const {
    for (const auto& f : analyzer.findings()) {
      if (f.kind == kind) return &f;
    }
    return nullptr;
  }
};

}  // namespace

TEST_CASE("a third module of one name grows the collision instead of repeating it") {
  Feed feed;
  feed.Write("a/foo.mod", "a/foo.o\n");
  feed.Write("b/foo.mod", "b/foo.o\n");
  REQUIRE(feed.Count(FindingKind::kModuleNameCollision) == 1);
  const uint64_t rev = feed.First(FindingKind::kModuleNameCollision)->revision;
  feed.Write("c/foo.mod", "c/foo.o\n");
  CHECK(feed.Count(FindingKind::kModuleNameCollision) == 1);
  const Finding* f = feed.First(FindingKind::kModuleNameCollision);
  CHECK(f->paths == std::vector<std::string>{"a/foo", "b/foo", "c/foo"});
  CHECK(f->revision > rev);
  CHECK(f->module == "foo");
  CHECK(feed.analyzer.revision() == f->revision);
}

TEST_CASE("the same module's .mod and .ko are one module, not a clash") {
  Feed feed;
  feed.Write("a/foo.mod", "a/foo.o\n");
  feed.Write("a/foo.ko", "");
  feed.Write("modules.order", "a/foo.ko\n");
  CHECK(feed.analyzer.findings().empty());
  CHECK(feed.analyzer.statistics().modules_seen == 1);
}

TEST_CASE("a module removed before its namesake is built is no clash") {
  Feed feed;
  feed.Write("a/foo.ko", "");
  feed.Event(EventKind::kDelete, "a/foo.ko");
  feed.Write("b/foo.ko", "");
  CHECK(feed.analyzer.findings().empty());
}

// dkms builds xtables-addons in extensions/ and then moves every .ko to the
// top of its build directory (dkms.conf's MAKE: `find ... -name '*.ko'
// -exec mv ...`): a renamed .ko is the module it was, not a second one.
TEST_CASE("a .ko renamed elsewhere is the module it was, not a clash") {
  Feed feed;
  feed.Write("extensions/xt_ECHO.mod", "extensions/xt_ECHO.o\n");
  feed.Write("extensions/modules.order", "extensions/xt_ECHO.o\n");
  feed.Write("extensions/xt_ECHO.ko", "\x7f" "ELF");
  feed.Event(EventKind::kMovedFrom, "extensions/xt_ECHO.ko");
  feed.Event(EventKind::kMovedTo, "xt_ECHO.ko", std::string("\x7f" "ELF"));
  CHECK(feed.Count(FindingKind::kModuleNameCollision) == 0);
  // A .ko of that name built elsewhere is still a second module.
  feed.Write("other/xt_ECHO.ko", "\x7f" "ELF");
  CHECK(feed.Count(FindingKind::kModuleNameCollision) == 1);
}

TEST_CASE("a module in a removed directory is no longer claimed") {
  Feed feed;
  feed.Write("a/sub/foo.ko", "");
  FsEvent rm;
  rm.seq = ++feed.seq;
  rm.kind = EventKind::kDelete;
  rm.path = "a";
  rm.is_dir = true;
  feed.analyzer.Consume(rm);
  feed.Write("b/foo.ko", "");
  CHECK(feed.analyzer.findings().empty());
}

TEST_CASE("an absolute M= modules.order is related to the root") {
  Feed feed("/build/ext");
  feed.Write("modules.order", "/build/ext/a/foo.ko\n/build/ext/b/foo.ko\n");
  const Finding* f = feed.First(FindingKind::kModuleNameCollision);
  REQUIRE(f != nullptr);
  CHECK(f->paths == std::vector<std::string>{"a/foo", "b/foo"});
}

TEST_CASE("a rewritten modules.order replaces what it said") {
  Feed feed;
  feed.Write("modules.order", "a/foo.ko\n");
  feed.Write("modules.order", "b/foo.ko\n");
  CHECK(feed.analyzer.findings().empty());
}

TEST_CASE("reset forgets findings but revisions and ids keep increasing") {
  Feed feed;
  feed.Write("a/foo.mod", "a/foo.o\n");
  feed.Write("b/foo.mod", "b/foo.o\n");
  const uint64_t rev = feed.analyzer.revision();
  const uint64_t id = feed.analyzer.findings().at(0).id;
  feed.analyzer.Reset();
  CHECK(feed.analyzer.findings().empty());
  CHECK(feed.analyzer.coverage().Complete());
  feed.Write("a/bar.mod", "a/bar.o\n");
  feed.Write("b/bar.mod", "b/bar.o\n");
  REQUIRE(feed.analyzer.findings().size() == 1);
  CHECK(feed.analyzer.findings()[0].revision > rev);
  CHECK(feed.analyzer.findings()[0].id > id);
}

TEST_CASE("unwatched directories and unreadable files are coverage gaps") {
  Feed feed;
  feed.Event(EventKind::kUnwatched, "drivers/deep");
  feed.Event(EventKind::kUnwatched, "drivers/deeper");
  feed.Event(EventKind::kUnreadable, "a/foo.mod");
  CHECK(feed.Count(FindingKind::kCoverageGap) == 2);
  CHECK(feed.analyzer.coverage().unwatched_dirs == 2);
  CHECK(feed.analyzer.coverage().unreadable_files == 1);
  CHECK_FALSE(feed.analyzer.coverage().Complete());
  // Counted in English.
  CHECK(feed.First(FindingKind::kCoverageGap)->message.rfind("2 directories could not be", 0) ==
        0);
  CHECK(feed.analyzer.findings()[1].message.rfind("1 artifact could not be read", 0) == 0);
  Feed once;
  once.Event(EventKind::kUnwatched, "drivers/deep");
  once.Event(EventKind::kOverflow, "");
  CHECK(once.First(FindingKind::kCoverageGap)->message.rfind("1 directory could not be", 0) == 0);
  CHECK(once.analyzer.findings()[1].message.rfind("events were lost once (", 0) == 0);
  once.Event(EventKind::kOverflow, "");
  CHECK(once.analyzer.findings()[1].message.rfind("events were lost twice (", 0) == 0);
}

TEST_CASE("a coverage gap carries its causes, each once, as its events give them") {
  Analyzer analyzer("");
  auto gap = [&](uint64_t seq, EventKind kind, const std::string& path,
                 std::optional<GapCause> cause) {
    FsEvent e;
    e.seq = seq;
    e.kind = kind;
    e.path = path;
    e.cause = cause;
    analyzer.Consume(e);
  };
  gap(1, EventKind::kUnwatched, "a", GapCause::kWatchLimit);
  gap(2, EventKind::kUnwatched, "b", GapCause::kWatchLimit);
  gap(3, EventKind::kUnwatched, "c", std::nullopt);  // a recording from before causes
  gap(4, EventKind::kUnwatched, ".", GapCause::kRootGone);
  gap(5, EventKind::kOverflow, "", std::nullopt);
  gap(6, EventKind::kUnreadable, "x.mod", std::nullopt);
  REQUIRE(analyzer.findings().size() == 3);
  CHECK(analyzer.findings()[0].gap_causes ==
        std::vector<GapCause>{GapCause::kWatchLimit, GapCause::kUnwatchable, GapCause::kRootGone});
  CHECK(analyzer.findings()[1].gap_causes == std::vector<GapCause>{GapCause::kLostEvents});
  CHECK(analyzer.findings()[2].gap_causes == std::vector<GapCause>{GapCause::kUnreadable});
}

TEST_CASE("overflows are one gap: counted as the kernel's, with the window they cover") {
  Analyzer analyzer("");
  auto at = [&](uint64_t seq, int64_t seconds_tenths, EventKind kind) {
    FsEvent e;
    e.seq = seq;
    e.time_ns = 1000000000000 + seconds_tenths * 100000000;
    e.kind = kind;
    e.path = kind == EventKind::kExisting ? "a/foo.mod" : "";
    if (kind == EventKind::kExisting) e.content = "a/foo.o\n";
    analyzer.Consume(e);
  };
  at(1, 0, EventKind::kExisting);      // the watch begins
  at(2, 13, EventKind::kOverflow);     // 1.3 s in
  at(3, 14, EventKind::kOverflow);     // the second, merged into one rescan
  at(4, 15, EventKind::kExisting);     // the rescan reads the disk again
  at(5, 19, EventKind::kRescanDone);   // and ends at 1.9 s
  REQUIRE(analyzer.findings().size() == 1);
  const Finding& gap = analyzer.findings()[0];
  CHECK(gap.kind == FindingKind::kCoverageGap);
  CHECK(analyzer.coverage().overflows == 2);
  CHECK(analyzer.statistics().rescans == 1);
  CHECK_MESSAGE(gap.message.rfind("events were lost twice (kernel queue overflow) from 1.3 s to "
                                  "1.9 s after watching began: ",
                                  0) == 0,
                gap.message);
}

TEST_CASE("oversized content is a coverage gap and not parsed") {
  Feed feed;
  FsEvent e;
  e.seq = 1;
  e.kind = EventKind::kCloseWrite;
  e.path = "modules.order";
  e.content = std::string(100, 'x');
  e.content_truncated = true;
  feed.analyzer.Consume(e);
  CHECK(feed.analyzer.coverage().oversized_files == 1);
  CHECK(feed.Count(FindingKind::kCoverageGap) == 1);
}

TEST_CASE("writers of many different files at once are no race") {
  Feed feed;
  for (int i = 0; i < 100; ++i) feed.Event(EventKind::kOpen, "f" + std::to_string(i) + ".o");
  for (int i = 0; i < 100; ++i) {
    feed.Event(EventKind::kCloseWrite, "f" + std::to_string(i) + ".o");
  }
  CHECK(feed.analyzer.findings().empty());
  CHECK(feed.analyzer.statistics().files_tracked == 100);
}

// A built tree found by a scan (kExisting events with content) gives the
// findings the live events of its build gave: same rules, same words
// (docs/architecture.md, Rules).

constexpr char kPhyRecord[] = "drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\n";
constexpr char kUsbRecord[] = "drivers/net/usb/asix.ko\ndrivers/net/usb/asix.o\n";

TEST_CASE("an old record that several modules of its name share is clobbered, found by a scan") {
  for (const bool record_first : {true, false}) {
    CAPTURE(record_first);
    Feed scan;
    if (record_first) scan.Existing(".tmp_versions/asix.mod", kUsbRecord);
    scan.Existing("drivers/net/phy/asix.ko", "ELF");
    scan.Existing("drivers/net/usb/asix.ko", "ELF");
    if (!record_first) scan.Existing(".tmp_versions/asix.mod", kUsbRecord);
    const Finding* f = scan.First(FindingKind::kClobberedFile);
    REQUIRE(f);
    CHECK(f->paths == std::vector<std::string>{".tmp_versions/asix.mod"});
    CHECK(f->module == "asix");
    CHECK(f->severity == Severity::kError);
    CHECK(f->confidence == Confidence::kCertain);
  }
}

TEST_CASE("a clobber says the same whether a rewrite or a scan showed it") {
  Feed live;
  live.Write(".tmp_versions/asix.mod", kPhyRecord);
  live.Write("drivers/net/phy/asix.ko", "ELF");
  live.Write(".tmp_versions/asix.mod", kUsbRecord);
  live.Write("drivers/net/usb/asix.ko", "ELF");
  Feed scan;
  scan.Existing(".tmp_versions/asix.mod", kUsbRecord);
  scan.Existing("drivers/net/usb/asix.ko", "ELF");
  scan.Existing("drivers/net/phy/asix.ko", "ELF");
  const Finding* a = live.First(FindingKind::kClobberedFile);
  const Finding* b = scan.First(FindingKind::kClobberedFile);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->message == b->message);
  CHECK(a->message.find("drivers/net/phy/asix.ko, drivers/net/usb/asix.ko") != std::string::npos);
}

TEST_CASE("a collision names its paths sorted, whichever came first") {
  Feed one;
  one.Existing("b/foo_bar.ko", "ELF");
  one.Existing("a/foo-bar.ko", "ELF");
  Feed two;
  two.Existing("a/foo-bar.ko", "ELF");
  two.Existing("b/foo_bar.ko", "ELF");
  const Finding* a = one.First(FindingKind::kModuleNameCollision);
  const Finding* b = two.First(FindingKind::kModuleNameCollision);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->module == "foo_bar");
  CHECK(a->message == b->message);
  CHECK(a->message.find("a/foo-bar.ko, b/foo_bar.ko") != std::string::npos);
  CHECK(one.analyzer.module_paths() == std::vector<std::string>{"a/foo-bar", "b/foo_bar"});
}

TEST_CASE("torn records and paths listed twice, found by a scan") {
  Feed scan;
  scan.Existing(".tmp_versions/asix.mod",
                std::string(kPhyRecord) + "\n" + std::string(256, '\0') + "\n");
  scan.Existing("modules.order", "sub/x.ko\nsub/x.ko\n");
  const Finding* torn = scan.First(FindingKind::kTornFile);
  REQUIRE(torn);
  CHECK(torn->evidence.at(0).what.find("256 NUL bytes") != std::string::npos);
  const Finding* dup = scan.First(FindingKind::kDuplicateModulePath);
  REQUIRE(dup);
  CHECK(dup->paths == std::vector<std::string>{"sub/x"});
}

}  // namespace modrace

// A built tree found by a scan (kExisting events with content, as the
// daemon's start-up scan and `modrace audit` send them) gives the findings
// the live events of its build gave: same rules, same wording
// (docs/architecture.md, Rules).

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "analyzer/analyzer.h"

namespace modrace {

namespace {

struct Feed {
  Analyzer analyzer;
  uint64_t seq = 0;

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
  void Existing(const std::string& path, const std::string& content) {
    Event(EventKind::kExisting, path, content);
  }
  void Write(const std::string& path, const std::string& content) {
    Event(EventKind::kOpen, path);
    Event(EventKind::kCloseWrite, path, content);
  }
  const Finding* First(FindingKind kind) const {
    for (const auto& f : analyzer.findings()) {
      if (f.kind == kind) return &f;
    }
    return nullptr;
  }
};

const char kPhyRecord[] = "drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\n";
const char kUsbRecord[] = "drivers/net/usb/asix.ko\ndrivers/net/usb/asix.o\n";

}  // namespace

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

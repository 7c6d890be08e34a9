// SPDX-License-Identifier: GPL-2.0-only
// write_hazard: two jobs make did not order write one file.

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "analyzer/analyzer.h"

namespace modrace {

namespace {

struct Proc {
  int32_t pid;
  int32_t job;  // 0: make's own
  int32_t make;
  int32_t top;
  std::string recipe;
  std::string make_cmdline = "make -f scripts/Makefile.build obj=.";
  std::string comm = "sh";  // a job's process
};

ProcessInfo Info(const Proc& p) {
  ProcessInfo i;
  i.pid = p.pid;
  i.start_time = static_cast<uint64_t>(p.pid) * 10;
  i.comm = p.job == 0 ? "make" : p.comm;
  i.cmdline = p.job == 0 ? p.make_cmdline : p.recipe;
  if (p.job != 0) {
    i.ancestors = {p.make};
    i.ancestor_cmdlines = {p.make_cmdline};
    i.job_pid = p.job;
    i.job_start_time = static_cast<uint64_t>(p.job) * 10;
    i.make_start_time = static_cast<uint64_t>(p.make) * 10;
  }
  i.top_make_pid = p.top;
  i.top_make_start_time = static_cast<uint64_t>(p.top) * 10;
  return i;
}

struct Feed {
  Analyzer a;
  uint64_t seq = 0;
  void Ev(EventKind kind, const std::string& path, const Proc& p) {
    FsEvent e;
    e.seq = ++seq;
    e.time_ns = static_cast<int64_t>(seq) * 1000;
    e.kind = kind;
    e.path = path;
    e.process = std::make_shared<const ProcessInfo>(Info(p));
    e.names_only = true;
    a.Consume(e);
  }
  void Write(const std::string& path, const Proc& p) {
    Ev(EventKind::kCreate, path, p);
    Ev(EventKind::kOpen, path, p);
    Ev(EventKind::kModify, path, p);
    Ev(EventKind::kCloseWrite, path, p);
  }
  std::vector<const Finding*> Hazards() const {
    std::vector<const Finding*> out;
    for (const auto& f : a.findings()) {
      if (f.kind == FindingKind::kWriteHazard) out.push_back(&f);
    }
    return out;
  }
};

const std::string kCc = "/bin/sh -c set -e; gcc -c -o s2/y.o s2/y.c";

}  // namespace

TEST_CASE("write_hazard: two makes of one build write one file: built twice, whatever the timing") {
  Feed f;
  const Proc top{10, 0, 0, 10, "", "make -C /k M=/t"};
  const Proc sub{20, 0, 0, 10, "", "make -f scripts/Makefile.build obj=s2"};
  const Proc a{30, 30, 10, 10, kCc, "make -f scripts/Makefile.build obj=."};
  const Proc b{40, 40, 20, 10, kCc, "make -f scripts/Makefile.build obj=s2"};
  f.Ev(EventKind::kOpen, "Makefile", top);
  f.Write("s2/y.o", a);  // done before b starts: timing does not matter
  f.Write("s2/y.o", b);
  const auto h = f.Hazards();
  REQUIRE(h.size() == 1);
  CHECK(h[0]->paths == std::vector<std::string>{"s2/y.o"});
  CHECK(h[0]->severity == Severity::kError);
  CHECK(h[0]->confidence == Confidence::kCertain);
  REQUIRE(h[0]->jobs.size() == 2);
  CHECK(h[0]->jobs[0].short_name == "gcc -o s2/y.o");
  CHECK(h[0]->jobs[0].make == "obj=.");
  CHECK(h[0]->jobs[1].make == "obj=s2");
  CHECK(h[0]->jobs[1].pids == std::vector<int32_t>{40});
  CHECK(h[0]->message.find("built twice") != std::string::npos);
  CHECK(h[0]->message.find("obj=s2") != std::string::npos);
  // The report's table holds each job once, with its make's directory.
  CHECK(f.a.jobs().size() == 2);
}

TEST_CASE("write_hazard: one make's jobs one after the other are not a hazard") {
  Feed f;
  const Proc a{30, 30, 10, 10, "/bin/sh -c cmd_a > .m1.o.cmd"};
  const Proc b{40, 40, 10, 10, "/bin/sh -c cmd_b > .m1.o.cmd"};
  f.Write(".m1.o.cmd", a);
  f.Write(".m1.o.cmd", b);
  CHECK(f.Hazards().empty());
}

TEST_CASE("write_hazard: one make's jobs running at once: two recipes write one file") {
  Feed f;
  const Proc a{30, 30, 10, 10, "/bin/sh -c { echo drivers/net/phy/asix.ko; } > .tmp_versions/asix.mod"};
  const Proc b{40, 40, 10, 10, "/bin/sh -c { echo drivers/net/usb/asix.ko; } > .tmp_versions/asix.mod"};
  f.Ev(EventKind::kOpen, ".tmp_versions/asix.mod", a);
  f.Ev(EventKind::kModify, ".tmp_versions/asix.mod", a);
  f.Ev(EventKind::kOpen, ".tmp_versions/asix.mod", b);
  f.Ev(EventKind::kModify, ".tmp_versions/asix.mod", b);
  f.Ev(EventKind::kCloseWrite, ".tmp_versions/asix.mod", a);
  f.Ev(EventKind::kCloseWrite, ".tmp_versions/asix.mod", b);
  const auto h = f.Hazards();
  REQUIRE(h.size() == 1);
  CHECK(h[0]->message.find("two recipes write .tmp_versions/asix.mod") != std::string::npos);
  CHECK(h[0]->jobs.size() == 2);
}

TEST_CASE("write_hazard: a file a job makes and removes itself is no hazard") {
  Feed f;
  const Proc a{30, 30, 10, 10, kCc};
  const Proc b{40, 40, 20, 10, kCc};
  f.Write("s2/.tmp_y.o", a);
  f.Ev(EventKind::kDelete, "s2/.tmp_y.o", a);
  f.Write("s2/.tmp_y.o", b);
  f.Ev(EventKind::kMovedFrom, "s2/.tmp_y.o", b);
  CHECK(f.Hazards().empty());
}

TEST_CASE("write_hazard: make's own processes and readers never count") {
  Feed f;
  const Proc make{10, 0, 0, 10, ""};
  const Proc sub{20, 0, 0, 10, ""};
  const Proc a{30, 30, 10, 10, kCc};
  const Proc reader{40, 40, 20, 10, "/bin/sh -c cat x"};
  f.Write("x", make);
  f.Write("x", sub);
  f.Write("x", a);
  f.Ev(EventKind::kOpen, "x", reader);
  f.Ev(EventKind::kCloseNoWrite, "x", reader);
  CHECK(f.Hazards().empty());
}

TEST_CASE("write_hazard: two builds one after the other are ordered; at once they are not") {
  SUBCASE("one after the other") {
    Feed f;
    const Proc a{30, 30, 10, 10, kCc};
    const Proc b{40, 40, 20, 20, kCc};
    f.Write("y.o", a);
    f.Write("y.o", b);
    CHECK(f.Hazards().empty());
  }
  SUBCASE("at once") {
    Feed f;
    const Proc a{30, 30, 10, 10, kCc};
    const Proc b{40, 40, 20, 20, kCc};
    const Proc a2{31, 31, 10, 10, "/bin/sh -c true"};
    f.Ev(EventKind::kOpen, "Makefile", a);
    f.Write("y.o", b);
    f.Write("y.o", a);
    f.Ev(EventKind::kOpen, "Makefile", a2);
    CHECK(f.Hazards().size() == 1);
  }
}

TEST_CASE("jobs: a finding that rests on a file's writes names its writer jobs, also later ones") {
  Analyzer a;
  uint64_t seq = 0;
  auto ev = [&](EventKind kind, const std::string& path, const std::optional<Proc>& p,
                const std::string& content) {
    FsEvent e;
    e.seq = ++seq;
    e.kind = kind;
    e.path = path;
    if (p) {
      e.process = std::make_shared<const ProcessInfo>(Info(*p));
      e.names_only = true;
    }
    if (!content.empty()) e.content = content;
    a.Consume(e);
  };
  const Proc phy{30, 30, 10, 10, "/bin/sh -c { echo drivers/net/phy/asix.ko; } > .tmp_versions/asix.mod"};
  const Proc usb{40, 40, 10, 10, "/bin/sh -c { echo drivers/net/usb/asix.ko; } > .tmp_versions/asix.mod"};
  const std::string f = ".tmp_versions/asix.mod";
  ev(EventKind::kCloseWrite, f, phy, "");
  ev(EventKind::kOpen, f, std::nullopt, "");
  ev(EventKind::kCloseWrite, f, std::nullopt, "drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\n\n");
  ev(EventKind::kOpen, f, std::nullopt, "");
  ev(EventKind::kCloseWrite, f, std::nullopt, "drivers/net/usb/asix.ko\ndrivers/net/usb/asix.o\n\n");
  ev(EventKind::kCloseWrite, f, usb, "");  // fanotify's stream arrives late
  bool collision = false, clobbered = false;
  for (const auto& fi : a.findings()) {
    if (fi.kind == FindingKind::kModuleNameCollision || fi.kind == FindingKind::kClobberedFile) {
      CAPTURE(fi.message);
      REQUIRE(fi.jobs.size() == 2);
      CHECK(fi.jobs[0].short_name == "echo drivers/net/phy/asix.ko");
      CHECK(fi.jobs[1].short_name == "echo drivers/net/usb/asix.ko");
      (fi.kind == FindingKind::kClobberedFile ? clobbered : collision) = true;
    }
  }
  CHECK(collision);
  CHECK(clobbered);
}

}  // namespace modrace

namespace modrace {

TEST_CASE("stale_read: a job read a file another job of the build wrote afterwards") {
  Feed f;
  const Proc btf{30, 30, 10, 10, "/bin/sh -c pahole -J --btf_base vmlinux m.ko"};
  const Proc link{40, 40, 20, 10, "/bin/sh -c ld -o vmlinux vmlinux.o"};
  f.Ev(EventKind::kOpen, "vmlinux", btf);
  f.Ev(EventKind::kCloseNoWrite, "vmlinux", btf);
  f.Write("vmlinux", link);
  std::vector<const Finding*> stale;
  for (const auto& fi : f.a.findings()) {
    if (fi.kind == FindingKind::kStaleRead) stale.push_back(&fi);
  }
  REQUIRE(stale.size() == 1);
  CHECK(stale[0]->paths == std::vector<std::string>{"vmlinux"});
  CHECK(stale[0]->jobs.size() == 2);
  CHECK(stale[0]->message.find("read by `pahole") != std::string::npos);
}

TEST_CASE("stale_read: not make's reads, not the writer's own, not after the write, not another build") {
  Feed f;
  const Proc make{10, 0, 0, 10, ""};
  const Proc a{30, 30, 10, 10, "/bin/sh -c fixdep x.d x.o > .x.o.cmd"};
  const Proc b{40, 40, 10, 10, "/bin/sh -c cat x.h"};
  const Proc other_build{50, 50, 60, 60, "/bin/sh -c cat y"};
  const Proc w{70, 70, 10, 10, "/bin/sh -c gen > y"};
  f.Ev(EventKind::kCloseNoWrite, ".x.o.cmd", make);   // make reads .cmd files
  f.Ev(EventKind::kCloseNoWrite, ".x.o.cmd", a);      // the writer's own read
  f.Write(".x.o.cmd", a);
  f.Write("x.h", a);
  f.Ev(EventKind::kCloseNoWrite, "x.h", b);           // read after the write
  f.Ev(EventKind::kCloseNoWrite, "y", other_build);   // another top make
  f.Write("y", w);
  for (const auto& fi : f.a.findings()) CHECK(fi.kind != FindingKind::kStaleRead);
}

}  // namespace modrace

namespace modrace {

// tools/build runs `$(fixdep)` in every recipe when a fixdep binary is
// there (`$(wildcard $(fixdep))`), also the one left by the last build while
// this build relinks it: running a program is no read of its content.
// Seen on every clean in-tree 6.1 build (tests/intree_test.cc).
TEST_CASE("stale_read: a program run (its exec) before another job relinks it is no stale read") {
  Feed f;
  Proc run{30, 30, 10, 10,
           "/tree/tools/objtool//fixdep /tree/tools/objtool/.fixdep.o.d /tree/tools/objtool/fixdep.o gcc",
           "make -f tools/build/Makefile.build", "fixdep"};
  const Proc link{40, 40, 10, 10, "/bin/sh -c gcc -o /tree/tools/objtool/fixdep fixdep-in.o"};
  f.Ev(EventKind::kOpen, "tools/objtool/fixdep", run);
  f.Ev(EventKind::kCloseNoWrite, "tools/objtool/fixdep", run);
  f.Write("tools/objtool/fixdep", link);
  for (const auto& fi : f.a.findings()) CHECK(fi.kind != FindingKind::kStaleRead);
  // The same file read (not run) by a job is one.
  const Proc cat{50, 50, 20, 10, "/bin/sh -c cat tools/objtool/fixdep > copy"};
  f.Ev(EventKind::kCloseNoWrite, "tools/objtool/fixdep", cat);
  f.Write("tools/objtool/fixdep", link);
  bool stale = false;
  for (const auto& fi : f.a.findings()) stale = stale || fi.kind == FindingKind::kStaleRead;
  CHECK(stale);
}

}  // namespace modrace

namespace modrace {

// kbuild's rule_cc_o_c runs several recipe lines, each its own shell (so
// its own job), one after the other: with CONFIG_MODVERSIONS the genksyms
// line's preprocessor writes `.x.o.d` again after the compile line's
// fixdep read and removed it (docs/kbuild.md, Patterns that look like
// hazards). Jobs of one make run one after the other may be ordered.
TEST_CASE("stale_read: two jobs of one make, one after the other, are no stale read") {
  Feed f;
  const Proc cc{30, 30, 10, 10, "/bin/sh -c gcc -Wp,-MMD,.x.o.d -c -o x.o x.c; fixdep .x.o.d x.o"};
  const Proc ksyms{40, 40, 10, 10, "/bin/sh -c if nm x.o 2>/dev/null | grep -q __ksymtab; then gcc -E -D__GENKSYMS__ -Wp,-MMD,.x.o.d x.c | genksyms; fi"};
  f.Write(".x.o.d", cc);
  f.Ev(EventKind::kOpen, ".x.o.d", cc);
  f.Ev(EventKind::kCloseNoWrite, ".x.o.d", cc);
  f.Ev(EventKind::kDelete, ".x.o.d", cc);
  f.Write(".x.o.d", ksyms);
  for (const auto& fi : f.a.findings()) CHECK(fi.kind != FindingKind::kStaleRead);
  // Two jobs of one make running at once are not ordered: that read is stale.
  const Proc reader{50, 50, 10, 10, "/bin/sh -c cat y.h"};
  const Proc gen{60, 60, 10, 10, "/bin/sh -c gen > y.h"};
  f.Ev(EventKind::kOpen, "y.h", reader);
  f.Ev(EventKind::kOpen, "y.h", gen);
  f.Ev(EventKind::kCloseNoWrite, "y.h", reader);
  f.Ev(EventKind::kModify, "y.h", gen);
  f.Ev(EventKind::kOpen, "other", reader);  // the reader still runs
  f.Ev(EventKind::kCloseWrite, "y.h", gen);
  bool stale = false;
  for (const auto& fi : f.a.findings()) stale = stale || fi.kind == FindingKind::kStaleRead;
  CHECK(stale);
}

// `make -j2 > build.log 2>&1`: every recipe writes the log through the
// descriptor it inherited; none of them opened it. Those writes are not a
// recipe's outputs (docs/architecture.md, Jobs).
TEST_CASE("write_hazard: writes through an inherited descriptor are no recipe's outputs") {
  Feed f;
  const Proc a{30, 30, 10, 10, "/bin/sh -c echo CC a.o; gcc -c -o a.o a.c"};
  const Proc b{40, 40, 20, 10, "/bin/sh -c echo CC b.o; gcc -c -o b.o b.c"};
  f.Ev(EventKind::kModify, "build.log", a);
  f.Ev(EventKind::kModify, "build.log", b);
  f.Ev(EventKind::kModify, "build.log", a);
  for (const auto& fi : f.a.findings()) {
    CHECK(fi.kind != FindingKind::kWriteHazard);
    CHECK(fi.kind != FindingKind::kStaleRead);
  }
  // A job that opens the file itself writes it: two such jobs are a hazard.
  f.Write("out", a);
  f.Write("out", b);
  bool hazard = false;
  for (const auto& fi : f.a.findings()) hazard = hazard || fi.kind == FindingKind::kWriteHazard;
  CHECK(hazard);
}

}  // namespace modrace

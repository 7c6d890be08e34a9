// SPDX-License-Identifier: GPL-2.0-only
#include "client/audit.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "proto/bytes_json.h"
#include "tests/schema_check.h"

namespace modrace {

namespace {

// A fresh directory under the test's temp dir, removed at the end.
class TempTree {
 public:
  TempTree() {
    const char* base = getenv("TEST_TMPDIR");
    std::string tmpl = std::string(base ? base : "/tmp") + "/audit.XXXXXX";
    root_ = mkdtemp(tmpl.data());
  }
  ~TempTree() {
    const std::string cmd = "rm -rf '" + root_ + "'";
    if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", root_.c_str());
  }
  void Write(const std::string& rel, const std::string& content) {
    const std::string path = root_ + "/" + rel;
    for (size_t i = root_.size() + 1; i < path.size(); ++i) {
      if (path[i] == '/') mkdir(path.substr(0, i).c_str(), 0755);
    }
    std::ofstream(path, std::ios::binary) << content;
  }
  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

// A small kernel-shaped source tree: top Kbuild (6.1 style) with the arch
// Makefile's drivers, Kconfig sourced from the top, and one rule per
// directory.
void WriteKernelTree(TempTree& t) {
  t.Write("Makefile", "# top Makefile: the audit reads Kbuild and arch/x86/Makefile\n");
  t.Write("Kconfig",
          "mainmenu \"test\"\n"
          "source \"drivers/Kconfig\"\n"
          "source \"arch/$(SRCARCH)/Kconfig\"\n");
  t.Write("Kbuild",
          "obj-y += init/\n"
          "obj-y += $(ARCH_CORE)\n"
          "obj-y += drivers/\n"
          "obj-$(CONFIG_NET) += net/\n"
          "obj-y += $(ARCH_DRIVERS)\n");
  t.Write("init/Makefile", "obj-y += main.o\n");
  t.Write("arch/x86/Kconfig", "config X86_EXTRA\n\ttristate \"extra\"\n");
  t.Write("arch/x86/Makefile", "drivers-$(CONFIG_X86_EXTRA) += arch/x86/extra/\n");
  t.Write("arch/x86/extra/Makefile", "obj-m += xmod.o\n");
  t.Write("arch/arm/Makefile", "drivers-y += arch/arm/only/\n");
  t.Write("arch/arm/only/Makefile", "obj-m += asix.o\n");
  t.Write("drivers/Kconfig",
          "config NET\n\tbool \"net\"\n"
          "config NET_A\n\ttristate \"A\"\n\thelp\n\t  bool in help text\n"
          "config NET_B\n\ttristate \"B\"\n"
          "config PHY_BOOL\n\tbool \"phy\"\n"
          "config OFFDIR\n\tbool \"off\"\n");
  // Subdirectory descent with a continuation line.
  t.Write("drivers/Makefile",
          "obj-y += net/ \\\n"
          "\tphy/\n"
          "obj-$(CONFIG_OFFDIR) += off/\n"
          "obj-$(CONFIG_NOT_IN_KCONFIG) += nowhere/\n");
  // Composite parts are not modules; a bool symbol never makes a module.
  t.Write("drivers/net/Makefile",
          "obj-$(CONFIG_NET_A) += asix.o\n"
          "asix-y := a1.o a2.o\n"
          "asix-$(CONFIG_NET_B) += a3.o\n"
          "obj-$(CONFIG_PHY_BOOL) += boolmod.o\n");
  // An ifeq block on a config symbol.
  t.Write("drivers/phy/Makefile",
          "ifeq ($(CONFIG_NET_B),m)\n"
          "obj-m += asix.o\n"
          "else\n"
          "obj-y += phy_core.o\n"
          "endif\n");
  t.Write("drivers/off/Makefile", "obj-m += offmod.o\n");
  t.Write("drivers/nowhere/Makefile", "obj-m += never.o\n");
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

const Finding* FindKind(const Report& r, FindingKind kind) {
  for (const Finding& f : r.findings) {
    if (f.kind == kind) return &f;
  }
  return nullptr;
}

size_t CountKind(const Report& r, FindingKind kind) {
  return std::count_if(r.findings.begin(), r.findings.end(),
                       [kind](const Finding& f) { return f.kind == kind; });
}

void CheckSchema(const Report& r) {
  CHECK(SchemaCheck("proto/report.schema.json", DumpLine(nlohmann::json(r))) == "");
}

}  // namespace

TEST_CASE("latent source audit: tristates may clash, bools and unknown symbols do not") {
  TempTree t;
  WriteKernelTree(t);
  AuditOptions o;
  o.tree = t.root();
  o.arch = "x86_64";
  const AuditResult r = RunAudit(o);
  REQUIRE(r.ok);
  CHECK(r.source_tree);
  CHECK_FALSE(r.built_tree);
  CHECK(r.srcarch == "x86");
  // Not boolmod (bool), not never (symbol unknown to Kconfig), not the
  // arm-only module, not the composite parts a1..a3; but offmod, in a
  // directory a bool symbol descends into.
  CHECK(Joined(r.modules) ==
        "arch/x86/extra/xmod.ko drivers/net/asix.ko drivers/off/offmod.ko drivers/phy/asix.ko");
  REQUIRE(CountKind(r.report, FindingKind::kModuleNameCollision) == 1);
  const Finding* f = FindKind(r.report, FindingKind::kModuleNameCollision);
  CHECK(f->module == "asix");
  CHECK(f->severity == Severity::kWarning);
  CHECK(f->confidence == Confidence::kLikely);
  CHECK(Joined(f->paths) == "drivers/net/asix drivers/phy/asix");
  REQUIRE(f->evidence.size() == 2);
  CHECK(f->evidence[0].what == "drivers/net/Makefile:1: obj-$(CONFIG_NET_A) += asix.o");
  CHECK(r.report.backend == "audit");
  CheckSchema(r.report);
}

TEST_CASE("with a .config: only what it builds, and clashes among them are errors") {
  TempTree t;
  WriteKernelTree(t);
  t.Write("one.config", "CONFIG_NET_A=m\n# CONFIG_NET_B is not set\nCONFIG_OFFDIR=y\n");
  t.Write("both.config", "CONFIG_NET_A=m\nCONFIG_NET_B=m\nCONFIG_X86_EXTRA=y\n");
  AuditOptions o;
  o.tree = t.root();
  o.arch = "x86";
  o.config_file = t.root() + "/one.config";
  AuditResult r = RunAudit(o);
  REQUIRE(r.ok);
  CHECK(Joined(r.modules) == "drivers/net/asix.ko drivers/off/offmod.ko");
  CHECK(CountKind(r.report, FindingKind::kModuleNameCollision) == 0);

  o.config_file = t.root() + "/both.config";
  r = RunAudit(o);
  REQUIRE(r.ok);
  // X86_EXTRA=y: arch/x86/extra/ is descended, and its obj-m is a module.
  CHECK(Joined(r.modules) == "arch/x86/extra/xmod.ko drivers/net/asix.ko drivers/phy/asix.ko");
  const Finding* f = FindKind(r.report, FindingKind::kModuleNameCollision);
  REQUIRE(f);
  CHECK(f->severity == Severity::kError);
  CheckSchema(r.report);
}

TEST_CASE("an out-of-tree module tree: its own Kbuild, a path reached twice") {
  TempTree t;
  // examples/kbuild-twice and kbuild-duplicate, inline.
  t.Write("Kbuild", "obj-m += sub/ sub/x.o\nobj-m += a/foo.o b/foo.o\n");
  t.Write("sub/Kbuild", "obj-m += x.o\n");
  AuditOptions o;
  o.tree = t.root();
  const AuditResult r = RunAudit(o);
  REQUIRE(r.ok);
  CHECK(Joined(r.modules) == "a/foo.ko b/foo.ko sub/x.ko");
  const Finding* twice = FindKind(r.report, FindingKind::kDuplicateModulePath);
  REQUIRE(twice);
  CHECK(Joined(twice->paths) == "sub/x");
  CHECK(twice->evidence.size() == 2);
  const Finding* clash = FindKind(r.report, FindingKind::kModuleNameCollision);
  REQUIRE(clash);
  CHECK(clash->module == "foo");
  // Unconditional obj-m lines: every config builds both, so an error.
  CHECK(clash->severity == Severity::kError);
  CheckSchema(r.report);
  // Where each module comes from: sub/x twice (through sub/ and directly).
  REQUIRE(r.module_sources.count("sub/x"));
  const std::vector<SourceLine>& x = r.module_sources.at("sub/x");
  REQUIRE(x.size() == 2);
  CHECK(x[0].file == "Kbuild");
  CHECK(x[0].line == 1);
  CHECK(x[0].text == "obj-m += sub/ sub/x.o");
  CHECK(x[1].file == "sub/Kbuild");
  CHECK(x[1].line == 1);
  REQUIRE(r.module_sources.count("b/foo"));
  CHECK(r.module_sources.at("b/foo").size() == 1);
  CHECK(r.module_sources.at("b/foo")[0].line == 2);

  // A make command line's variables count, over the tree's own.
  t.Write("Kbuild", "ifeq ($(RENAME),1)\nobj-m += a/foo.o b/bar.o\nelse\nobj-m += a/foo.o b/foo.o\nendif\n");
  AuditOptions renamed = o;
  renamed.make_variables = {{"RENAME", "1"}};
  CHECK(Joined(RunAudit(renamed).modules) == "a/foo.ko b/bar.ko");
  CHECK(Joined(RunAudit(o).modules) == "a/foo.ko b/foo.ko");
  t.Write("Kbuild", "obj-m += sub/ sub/x.o\nobj-m += a/foo.o b/foo.o\n");

  // Once built, the artifacts show the same problems, certain, and the
  // predictions are not repeated.
  t.Write("modules.order", "sub/x.ko\nsub/x.ko\na/foo.ko\nb/foo.ko\n");
  t.Write("a/foo.ko", "ELF");
  t.Write("b/foo.ko", "ELF");
  const AuditResult built = RunAudit(o);
  REQUIRE(built.ok);
  CHECK(built.built_tree);
  CHECK(built.report.findings.size() == 2);
  for (const Finding& f : built.report.findings) {
    CAPTURE(FindingKindName(f.kind));
    CHECK(f.confidence == Confidence::kCertain);
    // The built findings keep the lines that build the modules, as the
    // source audit of the same tree gives them (make clean must not be
    // needed to see where a clash comes from).
    REQUIRE_FALSE(f.sources.empty());
    CHECK(f.sources[0].file == "Kbuild");
  }
  const Finding* built_clash = FindKind(built.report, FindingKind::kModuleNameCollision);
  REQUIRE(built_clash);
  REQUIRE(built_clash->sources.size() == 1);  // a/foo and b/foo: one line
  CHECK(built_clash->sources[0].line == 2);
}

TEST_CASE("built tree: clashes, a path listed twice, a torn .tmp_versions record") {
  TempTree t;
  t.Write("modules.order",
          "drivers/net/phy/asix.ko\ndrivers/net/usb/asix.ko\nsub/x.ko\nsub/x.ko\n");
  t.Write("drivers/net/phy/asix.ko", "ELF");
  t.Write("drivers/net/usb/asix.ko", "ELF");
  t.Write("drivers/net/usb/asix.mod", "drivers/net/usb/asix.o\n");
  t.Write("sub/x.ko", "ELF");
  t.Write(".tmp_versions/asix.mod",
          std::string("drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\n\n") +
              std::string(256, '\0') + "\n");
  AuditOptions o;
  o.tree = t.root();
  const AuditResult r = RunAudit(o);
  REQUIRE(r.ok);
  CHECK(r.built_tree);
  CHECK_FALSE(r.source_tree);
  CHECK(Joined(r.modules) == "drivers/net/phy/asix.ko drivers/net/usb/asix.ko sub/x.ko");
  const Finding* clash = FindKind(r.report, FindingKind::kModuleNameCollision);
  REQUIRE(clash);
  CHECK(clash->severity == Severity::kError);
  CHECK(clash->confidence == Confidence::kCertain);
  CHECK(Joined(clash->paths) == "drivers/net/phy/asix drivers/net/usb/asix");
  const Finding* dup = FindKind(r.report, FindingKind::kDuplicateModulePath);
  REQUIRE(dup);
  CHECK(Joined(dup->paths) == "sub/x");
  const Finding* torn = FindKind(r.report, FindingKind::kTornFile);
  REQUIRE(torn);
  CHECK(Joined(torn->paths) == ".tmp_versions/asix.mod");
  CHECK(torn->confidence == Confidence::kCertain);
  CHECK(torn->evidence[0].what.find("256 NUL bytes") != std::string::npos);
  const Finding* clobbered = FindKind(r.report, FindingKind::kClobberedFile);
  REQUIRE(clobbered);
  CHECK(clobbered->paths.front() == ".tmp_versions/asix.mod");
  // Errors first, ids from 1.
  CHECK(r.report.findings.front().severity == Severity::kError);
  CHECK(r.report.findings.front().id == 1);
  CheckSchema(r.report);
}

TEST_CASE("built tree: '-' and '_' are one module name, as the live analyzer says") {
  TempTree t;
  t.Write("a/foo-bar.ko", "ELF");
  t.Write("b/foo_bar.ko", "ELF");
  AuditOptions o;
  o.tree = t.root();
  const AuditResult r = RunAudit(o);
  REQUIRE(r.ok);
  REQUIRE(r.report.findings.size() == 1);
  const Finding& f = r.report.findings[0];
  CHECK(f.kind == FindingKind::kModuleNameCollision);
  CHECK(f.module == "foo_bar");
  CHECK(Joined(f.paths) == "a/foo-bar b/foo_bar");
  CHECK(f.message ==
        "2 modules are named foo_bar: a/foo-bar.ko, b/foo_bar.ko ('-' and '_' are the same in "
        "module names); rename one of them");
  CheckSchema(r.report);
}

TEST_CASE("--against: tree modules that shadow installed ones, '-' and '_' alike") {
  TempTree t;
  t.Write("ext/Kbuild", "obj-m += snd-usb-audio.o mine.o\n");
  t.Write("installed/kernel/sound/usb/snd_usb_audio.ko.xz", "x");
  t.Write("installed/kernel/drivers/other.ko", "x");
  AuditOptions o;
  o.tree = t.root() + "/ext";
  o.against = t.root() + "/installed";
  const AuditResult r = RunAudit(o);
  REQUIRE(r.ok);
  REQUIRE(r.report.findings.size() == 1);
  const Finding& f = r.report.findings[0];
  CHECK(f.kind == FindingKind::kModuleNameCollision);
  CHECK(f.module == "snd-usb-audio");
  REQUIRE(f.paths.size() == 2);
  CHECK(f.paths[0] == "snd-usb-audio");
  CHECK(f.paths[1].find("snd_usb_audio.ko.xz") != std::string::npos);
  CheckSchema(r.report);
}

TEST_CASE("--arch changes the result where arches differ; an arch the tree lacks is bad input") {
  // drivers/char/adi.o is sparc-only (CONFIG_ADI depends on SPARC64, which
  // only arch/sparc/Kconfig defines); drivers/misc/adi.o builds anywhere.
  TempTree t;
  t.Write("Makefile", "# top Makefile\n");
  t.Write("Kconfig",
          "source \"drivers/Kconfig\"\n"
          "source \"arch/$(SRCARCH)/Kconfig\"\n");
  t.Write("Kbuild", "obj-y += $(ARCH_CORE)\nobj-y += drivers/\n");
  t.Write("lib/Makefile", "obj-y += lib.o\n");
  t.Write("arch/x86/Kconfig", "config X86\n\tdef_bool y\n");
  t.Write("arch/x86/Makefile", "# x86\n");
  t.Write("arch/sparc/Kconfig", "config SPARC64\n\tdef_bool y\n");
  t.Write("arch/sparc/Makefile", "# sparc\n");
  t.Write("drivers/Kconfig",
          "config ADI\n\ttristate \"SPARC Privileged ADI driver\"\n\tdepends on SPARC64\n"
          "config MISC_ADI\n\ttristate \"misc adi\"\n");
  t.Write("drivers/Makefile", "obj-y += char/ misc/\n");
  t.Write("drivers/char/Makefile", "obj-$(CONFIG_ADI) += adi.o\n");
  t.Write("drivers/misc/Makefile", "obj-$(CONFIG_MISC_ADI) += adi.o\n");
  AuditOptions o;
  o.tree = t.root();
  o.arch = "sparc64";
  const AuditResult sparc = RunAudit(o);
  REQUIRE_MESSAGE(sparc.ok, sparc.error);
  CHECK(Joined(sparc.modules) == "drivers/char/adi.ko drivers/misc/adi.ko");
  CHECK(CountKind(sparc.report, FindingKind::kModuleNameCollision) == 1);
  o.arch = "x86_64";
  const AuditResult x86 = RunAudit(o);
  REQUIRE_MESSAGE(x86.ok, x86.error);
  CHECK(Joined(x86.modules) == "drivers/misc/adi.ko");
  CHECK(CountKind(x86.report, FindingKind::kModuleNameCollision) == 0);
  o.arch = "bogus";
  const AuditResult bogus = RunAudit(o);
  CHECK_FALSE(bogus.ok);
  CHECK_FALSE(bogus.could_not_run);
  CHECK(bogus.error.find("no arch/bogus (it has: sparc, x86)") != std::string::npos);
}

TEST_CASE("bad input is an error, not a report") {
  AuditOptions o;
  CHECK_FALSE(RunAudit(o).ok);
  o.tree = "/nonexistent/modrace/tree";
  const AuditResult r = RunAudit(o);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("not a directory") != std::string::npos);
  TempTree t;
  t.Write("Kbuild", "obj-m += a.o\n");
  o.tree = t.root();
  o.config_file = t.root() + "/missing.config";
  CHECK_FALSE(RunAudit(o).ok);
}

TEST_CASE("a tree with nothing kbuild reads or writes is a warning, not a clean audit") {
  // A directory with nothing kbuild would read or write: no clean verdict,
  // a warning (so --fail-on warning fails).
  TempTree empty;
  AuditOptions e;
  e.tree = empty.root();
  const AuditResult none = RunAudit(e);
  REQUIRE(none.ok);
  CHECK_FALSE(none.report.complete);
  REQUIRE(none.report.findings.size() == 1);
  CHECK(none.report.findings[0].kind == FindingKind::kCoverageGap);
  CHECK(none.report.findings[0].severity == Severity::kWarning);
  CHECK(none.report.findings[0].message.find("nothing to audit") != std::string::npos);
  CheckSchema(none.report);
  empty.Write("notes.txt", "not a kernel tree\n");
  CHECK(RunAudit(e).report.findings.size() == 1);
}

TEST_CASE("SrcArchOf maps kernel ARCH names to arch/ directories") {
  CHECK(SrcArchOf("x86_64") == "x86");
  CHECK(SrcArchOf("i386") == "x86");
  CHECK(SrcArchOf("aarch64") == "arm64");
  CHECK(SrcArchOf("arm") == "arm");
  CHECK(SrcArchOf("riscv64") == "riscv");
  CHECK_FALSE(SrcArchOf("").empty());
}

}  // namespace modrace

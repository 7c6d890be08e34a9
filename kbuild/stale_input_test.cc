// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/stale_input.h"

#include <doctest/doctest.h>

namespace modrace {

namespace {

constexpr int64_t kSecond = 1000000000;

// A kernel directory right after `make vmlinux modules_prepare` with BTF
// for modules: everything of one build, vmlinux linked last.
KernelDirFacts FreshDir() {
  KernelDirFacts f;
  f.dir = "/k";
  f.auto_conf_mtime_ns = 100 * kSecond;
  f.vmlinux_o_mtime_ns = 200 * kSecond;
  f.vmlinux_symvers_mtime_ns = 201 * kSecond;
  f.vmlinux_mtime_ns = 210 * kSecond;
  f.uts_release = "6.1.192";
  f.vmlinux_release = "6.1.192";
  f.btf_modules = true;
  return f;
}

bool Mentions(const Finding& f, std::string_view text) {
  if (f.message.find(text) != std::string::npos) return true;
  for (const auto& e : f.evidence) {
    if (e.what.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("UTS_RELEASE and the banner's release are read") {
  CHECK(ParseUtsRelease("#define UTS_RELEASE \"6.1.192-stale1\"\n") == "6.1.192-stale1");
  CHECK_FALSE(ParseUtsRelease("#define UTS_VERSION \"#1\"\n").has_value());
  const std::string bytes = std::string(
                                "\0\x7f"
                                "ELF junk Linux version %s\0",
                                27) +
                            "Linux version 6.1.192 (root@h) (gcc) #1 SMP";
  CHECK(FindBannerRelease(bytes) == "6.1.192");
  CHECK_FALSE(FindBannerRelease("Linux version ").has_value());
  CHECK_FALSE(FindBannerRelease("nothing here").has_value());
}

TEST_CASE("a directory of one build has no stale input") {
  CHECK(StaleInputFindings(FreshDir(), "at the build's start").empty());
}

TEST_CASE("vmlinux of another release is stale, with both releases and what to do") {
  KernelDirFacts f = FreshDir();
  f.uts_release = "6.1.192-stale1";
  f.auto_conf_mtime_ns = 300 * kSecond;
  f.newer_symbols = {{"LOCALVERSION", 300 * kSecond}};
  const auto out = StaleInputFindings(f, "at the build's start");
  REQUIRE(out.size() == 1);
  const Finding& s = out[0];
  CHECK(s.kind == FindingKind::kStaleInput);
  CHECK(s.severity == Severity::kWarning);
  CHECK(s.confidence == Confidence::kCertain);
  REQUIRE(s.paths.size() == 1);
  CHECK(s.paths[0] == "/k/vmlinux");
  CHECK(Mentions(s, "6.1.192-stale1"));
  CHECK(Mentions(s, "\"6.1.192\""));
  CHECK(Mentions(s, "CONFIG_LOCALVERSION"));
  CHECK(Mentions(s, "1 min 30 s"));  // auto.conf is 90 s newer than vmlinux
  CHECK(Mentions(s, "make vmlinux"));
  CHECK(Mentions(s, "CONFIG_DEBUG_INFO_BTF_MODULES"));
  CHECK(Mentions(s, "pahole"));
  CHECK(Mentions(s, "at the build's start"));
  // Every fact names its file: a diagnostic prints them all at vmlinux.
  for (const auto& e : s.evidence) {
    const std::string file = e.path.substr(e.path.rfind('/') + 1);
    CHECK_MESSAGE(e.what.find(file) != std::string::npos, e.what);
  }
}

TEST_CASE("config changed after vmlinux, same release: likely stale") {
  KernelDirFacts f = FreshDir();
  f.auto_conf_mtime_ns = 215 * kSecond;
  f.newer_symbols = {{"NLS_UTF8", 215 * kSecond}};
  const auto out = StaleInputFindings(f, "at its end");
  REQUIRE(out.size() == 1);
  CHECK(out[0].confidence == Confidence::kLikely);
  CHECK(Mentions(out[0], "CONFIG_NLS_UTF8"));
}

TEST_CASE("without BTF for modules vmlinux is no input of a module build") {
  KernelDirFacts f = FreshDir();
  f.btf_modules = false;
  f.uts_release = "6.1.192-stale1";
  f.auto_conf_mtime_ns = 300 * kSecond;
  CHECK(StaleInputFindings(f, "at the build's start").empty());
}

TEST_CASE("no vmlinux: kbuild skips BTF itself, nothing to say") {
  KernelDirFacts f = FreshDir();
  f.vmlinux_mtime_ns.reset();
  f.vmlinux_release.reset();
  CHECK(StaleInputFindings(f, "at the build's start").empty());
}

TEST_CASE("Module.symvers newer than vmlinux (make modules after vmlinux) is normal") {
  KernelDirFacts f = FreshDir();
  f.module_symvers_mtime_ns = 400 * kSecond;
  CHECK(StaleInputFindings(f, "at the build's start").empty());
}

TEST_CASE("Module.symvers older than vmlinux.o is stale, unless vmlinux.symvers agrees") {
  KernelDirFacts f = FreshDir();
  f.module_symvers_mtime_ns = 50 * kSecond;
  f.module_symvers =
      "0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n0x1\tfoo\tfs/foo\tEXPORT_SYMBOL\t\n";
  f.vmlinux_symvers = "0x87654321\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n";
  auto out = StaleInputFindings(f, "at the build's start");
  REQUIRE(out.size() == 1);
  CHECK(out[0].paths[0] == "/k/Module.symvers");
  CHECK(Mentions(out[0], "vmlinux.o"));
  CHECK(Mentions(out[0], "2 min 30 s"));
  CHECK(Mentions(out[0], "CRC"));

  f.vmlinux_symvers = "0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n";
  CHECK(SymversAgreeOnVmlinux(*f.module_symvers, *f.vmlinux_symvers));
  CHECK(StaleInputFindings(f, "at the build's start").empty());

  // A vmlinux.symvers older than Module.symvers says nothing of vmlinux.o now.
  f.vmlinux_symvers_mtime_ns = 40 * kSecond;
  CHECK(StaleInputFindings(f, "at the build's start").size() == 1);
}

TEST_CASE("both stale: vmlinux first, then Module.symvers") {
  KernelDirFacts f = FreshDir();
  f.vmlinux_release = "6.1.100";
  f.module_symvers_mtime_ns = 50 * kSecond;
  const auto out = StaleInputFindings(f, "at the build's start");
  REQUIRE(out.size() == 2);
  CHECK(out[0].paths[0] == "/k/vmlinux");
  CHECK(out[1].paths[0] == "/k/Module.symvers");
}

}  // namespace modrace

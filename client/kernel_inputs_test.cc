// SPDX-License-Identifier: GPL-2.0-only
#include "client/kernel_inputs.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file_kind.h"
#include "common/test_tree.h"

namespace modrace {

namespace {

// Sets a file's modification time to `seconds` after the epoch.
void SetMtime(const std::string& path, int64_t seconds) {
  struct timespec t[2];
  t[0].tv_sec = t[1].tv_sec = seconds;
  t[0].tv_nsec = t[1].tv_nsec = 0;
  REQUIRE(utimensat(AT_FDCWD, path.c_str(), t, 0) == 0);
}

// A kernel build directory `k` of one build (BTF for modules on), its
// vmlinux's banner saying `banner_release` (after `padding` bytes).
void WriteKernelDir(const TestTree& t, const std::string& banner_release, size_t padding = 64) {
  t.Write("k/Makefile", "VERSION = 6\n");
  t.Write("k/include/config/auto.conf",
          "CONFIG_MODULES=y\nCONFIG_DEBUG_INFO_BTF=y\nCONFIG_DEBUG_INFO_BTF_MODULES=y\n");
  t.Write("k/include/config/LOCALVERSION", "");
  t.Write("k/include/config/auto.conf.cmd", "");
  t.Write("k/include/generated/utsrelease.h", "#define UTS_RELEASE \"6.1.192\"\n");
  t.Write("k/vmlinux.o", "obj");
  t.Write("k/vmlinux", std::string(padding, '\0') + "Linux version " + banner_release +
                           " (root@h) (gcc) #1 SMP\n");
  SetMtime(t.Abs("k/include/config/LOCALVERSION"), 1000);
  SetMtime(t.Abs("k/include/config/auto.conf"), 1000);
  SetMtime(t.Abs("k/include/config/auto.conf.cmd"), 5000);  // not a symbol
  SetMtime(t.Abs("k/vmlinux.o"), 2000);
  SetMtime(t.Abs("k/vmlinux"), 2100);
}

}  // namespace

TEST_CASE("the kernel directory of an M= build: -C, KDIR-style variables, symlinks") {
  TestTree t;
  WriteKernelDir(t, "6.1.192");
  t.Mkdir("ext");
  REQUIRE(symlink(t.Abs("k").c_str(), t.Abs("build").c_str()) == 0);
  const std::string ext = t.Abs("ext");
  const std::string k = RealPath(t.Abs("k"));
  CHECK(KernelDirOf(ext, {"make", "-C", t.Abs("k"), "M=" + ext, "-j2"}) == k);
  CHECK(KernelDirOf(ext, {"make", "-C", t.Abs("build"), "M=" + ext}) == k);
  CHECK(KernelDirOf(ext, {"make", "KDIR=" + t.Abs("build")}) == k);
  CHECK(KernelDirOf(ext, {"make", "KERNELDIR=" + t.Abs("k"), "-j2"}) == k);
  // Not an external module build, or no kernel build directory.
  CHECK(KernelDirOf(ext, {"make", "-C", t.Abs("k")}) == "");
  CHECK(KernelDirOf(ext, {"make", "-C", ext, "M=" + ext}) == "");
  CHECK(KernelDirOf(ext, {"make", "-C", t.Abs("ext"), "KDIR=" + t.Abs("ext")}) == "");
  CHECK(KernelDirOf(ext, {"sh", "-c", "make -C " + t.Abs("k") + " M=" + ext}) == "");
  // The kernel's own tree watched: its inputs are the build's.
  CHECK(KernelDirOf(t.Abs("k"), {"make", "-C", t.Abs("k"), "M=" + t.Abs("k") + "/x"}) == "");
}

TEST_CASE("a kernel directory of one build: nothing; a config change after vmlinux: stale") {
  TestTree t;
  WriteKernelDir(t, "6.1.192");
  const std::string k = RealPath(t.Abs("k"));
  const KernelDirFacts facts = ReadKernelDirFacts(k);
  CHECK(facts.btf_modules);
  CHECK(facts.uts_release == "6.1.192");
  CHECK(facts.vmlinux_release == "6.1.192");
  CHECK(facts.newer_symbols.empty());
  CHECK(CheckKernelInputs(k, "at the build's start").empty());

  // LOCALVERSION changed, `make modules_prepare` only.
  t.Write("k/include/generated/utsrelease.h", "#define UTS_RELEASE \"6.1.192-x\"\n");
  SetMtime(t.Abs("k/include/config/LOCALVERSION"), 3000);
  SetMtime(t.Abs("k/include/config/auto.conf"), 3000);
  const auto found = CheckKernelInputs(k, "at the build's start");
  REQUIRE(found.size() == 1);
  CHECK(found[0].kind == FindingKind::kStaleInput);
  CHECK(found[0].paths[0] == k + "/vmlinux");
  CHECK(found[0].message.find("CONFIG_LOCALVERSION") != std::string::npos);
  CHECK(found[0].message.find("6.1.192-x") != std::string::npos);
}

TEST_CASE("the banner is found past the first piece read, and across two pieces") {
  for (size_t padding : {size_t{3} << 20, (size_t{1} << 20) - 5}) {
    TestTree t;
    WriteKernelDir(t, "6.1.192", padding);
    CHECK(ReadKernelDirFacts(RealPath(t.Abs("k"))).vmlinux_release == "6.1.192");
  }
}

TEST_CASE("both checks join the report once per file, with new ids") {
  Report r;
  r.findings.resize(2);
  r.findings[0].id = 1;
  r.findings[1].id = 7;
  Finding v;
  v.kind = FindingKind::kStaleInput;
  v.paths = {"/k/vmlinux"};
  v.message = "start";
  Finding v_end = v;
  v_end.message = "end";
  Finding s = v;
  s.paths = {"/k/Module.symvers"};
  AddStaleInputs({v}, {v_end, s}, &r);
  REQUIRE(r.findings.size() == 4);
  CHECK(r.findings[2].message == "start");
  CHECK(r.findings[2].id == 8);
  CHECK(r.findings[3].paths[0] == "/k/Module.symvers");
  CHECK(r.findings[3].id == 9);
}

}  // namespace modrace

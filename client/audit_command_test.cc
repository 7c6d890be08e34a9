// SPDX-License-Identifier: GPL-2.0-only
// `modrace audit` end to end, as an ordinary user where permissions
// matter: the real binary (copied where user nobody may run it) on real
// trees it cannot read, through setpriv. Tests run as root, which reads
// everything; without root or setpriv the permission cases say SKIPPED.

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include "client/cli_testing.h"
#include "client/exit_codes.h"
#include "common/test_tree.h"

namespace modrace {

TEST_CASE("audit of a tree it cannot read could not run: exit 3, with the reason") {
  if (!CanDropToNobody()) {
    MESSAGE("SKIPPED: needs root and setpriv to run modrace as another user");
    return;
  }
  AsNobody w;
  w.Write("tree/Kbuild", "obj-m += a.o\n");
  chmod(w.Abs("tree").c_str(), 0);
  const CliResult r = w.Modrace("audit --fail-on never " + ShellQuote(w.Abs("tree")));
  CHECK(r.status == kExitWatcher);
  CHECK_MESSAGE(r.err.find("cannot read " + w.Abs("tree") + ": Permission denied") !=
                    std::string::npos,
                r.err);
  CHECK(r.out.empty());
}

TEST_CASE("an incomplete audit fails --fail-on warning") {
  if (!CanDropToNobody()) {
    MESSAGE("SKIPPED: needs root and setpriv to run modrace as another user");
    return;
  }
  AsNobody w;
  w.Write("tree/modules.order", "a/foo.ko\n");
  w.Write("tree/a/foo.ko", "ELF");
  w.Write("tree/hidden/b/foo.ko", "ELF");  // a clash the audit cannot see
  chmod(w.Abs("tree/hidden").c_str(), 0);
  const std::string tree = ShellQuote(w.Abs("tree"));
  const CliResult warn = w.Modrace("audit --format json --fail-on warning " + tree);
  CHECK_MESSAGE(warn.status == kExitFindings, warn.err);
  CHECK(warn.out.find("\"complete\":false") != std::string::npos);
  CHECK(w.Modrace("audit --format json " + tree).status == kExitClean);
}

TEST_CASE("audit --arch: an arch the tree has no arch/ directory for is bad usage") {
  SetUpCliTestEnvironment();
  TestTree t;
  t.Write("Kbuild", "obj-y += drivers/\n");
  t.Write("arch/x86/Makefile", "# x86\n");
  t.Write("drivers/Makefile", "obj-m += a.o\n");
  const CliResult bogus = Modrace("audit --arch bogus " + ShellQuote(t.root()));
  CHECK(bogus.status == kExitUsage);
  CHECK_MESSAGE(bogus.err.find("has no arch/bogus (it has: x86)") != std::string::npos, bogus.err);
  CHECK(Modrace("audit --format json --arch x86_64 " + ShellQuote(t.root())).status ==
        kExitClean);
}

}  // namespace modrace

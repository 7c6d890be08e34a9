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
#include "daemon/test_tree.h"

namespace modrace {

namespace {

// A 0755 directory holding a copy of client/modrace, and trees there.
struct NobodyWorld {
  NobodyWorld() {
    REQUIRE(mkdtemp(dir) != nullptr);
    chmod(dir, 0755);
    const std::string cp = "cp client/modrace " + ShellQuote(std::string(dir) + "/modrace");
    REQUIRE(system(cp.c_str()) == 0);
  }
  ~NobodyWorld() {
    const std::string rm = "chmod -R u+rwx " + ShellQuote(dir) + " && rm -rf " + ShellQuote(dir);
    if (system(rm.c_str()) != 0) MESSAGE("cannot remove " << dir);
  }
  void Write(const std::string& rel, const std::string& text) const {
    const std::string cmd = "mkdir -p \"$(dirname " + ShellQuote(Abs(rel)) + ")\" && printf %s " +
                            ShellQuote(text) + " > " + ShellQuote(Abs(rel));
    REQUIRE(system(cmd.c_str()) == 0);
  }
  std::string Abs(const std::string& rel) const { return std::string(dir) + "/" + rel; }
  // `modrace ARGS` as user nobody.
  CliResult AsNobody(const std::string& args) const {
    const std::string cmd = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups " +
                            ShellQuote(Abs("modrace")) + " " + args;
    const std::string out = Abs("out"), err = Abs("err");
    CliResult r;
    const int status = system((cmd + " >" + ShellQuote(out) + " 2>" + ShellQuote(err)).c_str());
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
  }
  char dir[32] = "/tmp/modrace-audit-XXXXXX";
};

bool CanDropToNobody() {
  return geteuid() == 0 && access("/usr/bin/setpriv", X_OK) == 0;
}

}  // namespace

TEST_CASE("audit of a tree it cannot read could not run: exit 3, with the reason") {
  if (!CanDropToNobody()) {
    MESSAGE("SKIPPED: needs root and setpriv to run modrace as another user");
    return;
  }
  NobodyWorld w;
  w.Write("tree/Kbuild", "obj-m += a.o\n");
  chmod(w.Abs("tree").c_str(), 0);
  const CliResult r = w.AsNobody("audit --fail-on never " + ShellQuote(w.Abs("tree")));
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
  NobodyWorld w;
  w.Write("tree/modules.order", "a/foo.ko\n");
  w.Write("tree/a/foo.ko", "ELF");
  w.Write("tree/hidden/b/foo.ko", "ELF");  // a clash the audit cannot see
  chmod(w.Abs("tree/hidden").c_str(), 0);
  const std::string tree = ShellQuote(w.Abs("tree"));
  const CliResult warn = w.AsNobody("audit --format json --fail-on warning " + tree);
  CHECK_MESSAGE(warn.status == kExitFindings, warn.err);
  CHECK(warn.out.find("\"complete\":false") != std::string::npos);
  CHECK(w.AsNobody("audit --format json " + tree).status == kExitClean);
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

// SPDX-License-Identifier: GPL-2.0-only
// `modrace run` and `modrace repro` end to end: the real modrace starting
// the real modraced over real `make -j2` builds of generated trees, the
// build's own status passing through, and every format of run's report read
// back by the real parsers of client/format/format_testing.h.

#include <doctest/doctest.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <regex>

#include <nlohmann/json.hpp>

#include "client/cli_testing.h"
#include "client/exit_codes.h"
#include "client/format/format_testing.h"
#include "common/test_tree.h"
#include "proto/report.h"

namespace modrace {

namespace {

struct MakeTree {
  explicit MakeTree(bool duplicate) {
    SetUpCliTestEnvironment();
    WriteModuleMakefile(tree.root(), duplicate);
  }
  // "run --tree T OPTIONS -- make -j2 -C T"
  CliResult Run(const std::string& options) const {
    return Modrace("run --tree " + ShellQuote(tree.root()) + " " + options + " -- " +
                   MakeCommand(tree.root()));
  }
  TestTree tree;
};

}  // namespace

TEST_CASE("run over make -j2 with a duplicate module name: the finding, exit 1") {
  // auto picks fanotify where permitted (root), else inotify: both, here.
  std::string backend;
  SUBCASE("--backend auto") { backend = "auto"; }
  SUBCASE("--backend inotify") { backend = "inotify"; }
  MakeTree t(true);
  TestTree files;
  const std::string saved = files.Abs("run.json");
  const CliResult r =
      t.Run("--backend " + backend + " --format json --report " + ShellQuote(saved));
  CHECK_MESSAGE(r.status == kExitFindings, r.err);
  const Report report = nlohmann::json::parse(r.out).get<Report>();
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].kind == FindingKind::kModuleNameCollision);
  CHECK(report.findings[0].module == "foo");
  CHECK(report.tree == RealPath(t.tree.root()));
  CHECK(report.statistics.events > 0);
  // --report holds the same report, and the daemon is gone.
  const Report file = nlohmann::json::parse(Slurp(saved)).get<Report>();
  CHECK(file.findings.size() == 1);
  CHECK(Modrace("status --tree " + ShellQuote(t.tree.root())).status == kExitWatcher);
  // Piped: no progress line; stderr holds the finding as a compiler
  // diagnostic (its notes after it), then the last line.
  CHECK(r.err.find("\033") == std::string::npos);
  CHECK(r.err.rfind("\nmodrace run: build succeeded after ") != std::string::npos);
  CHECK(r.err.substr(r.err.rfind("\nmodrace run: ")).find("; 1 error found\n") !=
        std::string::npos);
  const std::string first = r.err.substr(0, r.err.find('\n'));
  CHECK_MESSAGE(std::regex_match(first, std::regex(R"(^[^ :]+(:[0-9]+)?: error: .* )"
                                                   R"(\[modrace-module_name_collision\]$)")),
                first);
  CHECK(r.err.find(": note: what to do: ") != std::string::npos);
  // --quiet: the last line alone.
  const CliResult quiet = t.Run("--quiet --fail-on never --format json");
  CHECK(quiet.status == kExitClean);
  CHECK(quiet.err.find("modrace run: build succeeded after ") == 0);
  CHECK(std::count(quiet.err.begin(), quiet.err.end(), '\n') == 1);
}

TEST_CASE("run over make -j2 of a clean tree: exit 0") {
  MakeTree t(false);
  const CliResult r = t.Run("--format json");
  CHECK_MESSAGE(r.status == kExitClean, r.err);
  const Report report = nlohmann::json::parse(r.out).get<Report>();
  CHECK(report.findings.empty());
  CHECK(report.complete);
}

// A CI job that logs into its workspace (`make -j2 > build.log`), as dkms
// does with make.log: every recipe writes the log through the descriptor
// it inherited, at once. Those writes are no recipe's outputs
// (docs/architecture.md, Jobs).
TEST_CASE("run over a build that logs into the tree: the log is no finding") {
  std::string backend;
  SUBCASE("--backend auto") { backend = "auto"; }
  SUBCASE("--backend inotify") { backend = "inotify"; }
  TestTree tree;
  SetUpCliTestEnvironment();
  tree.Write("Makefile",
             "all: a b\n"
             "a:\n\techo building a; sleep 0.3; echo done a; echo a > a\n"
             "b:\n\techo building b; sleep 0.3; echo done b; echo b > b\n");
  const std::string root = ShellQuote(tree.root());
  const CliResult r = Modrace("run --tree " + root + " --backend " + backend +
                              " --format json -- sh -c " +
                              ShellQuote("make -j2 -C " + root + " > " + root + "/build.log 2>&1"));
  CHECK_MESSAGE(r.status == kExitClean, r.err);
  CAPTURE(r.out);
  const Report report = nlohmann::json::parse(r.out).get<Report>();
  CHECK(report.findings.empty());
  CHECK(Slurp(tree.Abs("build.log")).find("done b") != std::string::npos);
}

TEST_CASE("run's report in every format, read back by real parsers") {
  MakeTree t(true);
  SUBCASE("text") {
    const CliResult r = t.Run("--format text");
    CHECK(r.status == kExitFindings);
    CHECK(r.out.find("module_name_collision") != std::string::npos);
    CHECK(r.out.find("what to do:") != std::string::npos);
  }
  SUBCASE("junit") {
    const CliResult r = t.Run("--format junit");
    CHECK(r.status == kExitFindings);
    const nlohmann::json doc = ParseJunit(r.out);
    REQUIRE_MESSAGE(!doc.contains("error"), doc.dump());
    REQUIRE(doc["suites"].size() == 1);
    CHECK(doc["suites"][0]["attrib"]["failures"] == "1");
  }
  SUBCASE("sarif") {
    const CliResult r = t.Run("--format sarif");
    CHECK(r.status == kExitFindings);
    const std::string problem = CheckSarif(r.out);
    CHECK_MESSAGE(problem.empty(), problem);
    const nlohmann::json sarif = nlohmann::json::parse(r.out);
    CHECK(sarif["runs"][0]["results"].size() == 1);
  }
  SUBCASE("github") {
    const CliResult r = t.Run("--format github");
    CHECK(r.status == kExitFindings);
    const nlohmann::json commands = ParseGithub(r.out);
    REQUIRE_MESSAGE(!commands.contains("error"), commands.dump());
    CHECK(commands.dump().find("foo") != std::string::npos);
  }
}

TEST_CASE("run --output keeps the rendered report apart from the build's stdout") {
  MakeTree t(true);
  TestTree files;
  const std::string xml = files.Abs("modrace.xml");
  const CliResult r = Modrace("run --tree " + ShellQuote(t.tree.root()) +
                              " --format junit --output " + ShellQuote(xml) + " -- sh -c " +
                              ShellQuote("echo building; " + MakeCommand(t.tree.root())));
  CHECK_MESSAGE(r.status == kExitFindings, r.err);
  CHECK(r.out == "building\n");
  const nlohmann::json doc = ParseJunit(Slurp(xml));
  REQUIRE_MESSAGE(!doc.contains("error"), doc.dump());
  CHECK(doc["suites"][0]["attrib"]["failures"] == "1");
}

TEST_CASE("run passes a failing build's own status through") {
  SetUpCliTestEnvironment();
  TestTree tree;
  const std::string t = " --tree " + ShellQuote(tree.root()) + " --format json -- ";
  CHECK(Modrace("run" + t + "sh -c 'exit 7'").status == 7);
  CHECK(Modrace("run" + t + "sh -c 'kill -TERM $$'").status == 128 + 15);
  const CliResult missing = Modrace("run" + t + "no-such-build-command-here");
  CHECK(missing.status == kExitNotFound);
  CHECK(missing.err.find("cannot run no-such-build-command-here") != std::string::npos);
  // A build that fails after writing a clash still fails with its own status.
  WriteModuleMakefile(tree.root(), true);
  const CliResult both =
      Modrace("run" + t + "sh -c " + ShellQuote(MakeCommand(tree.root()) + " && exit 4"));
  CHECK(both.status == 4);
  CHECK(nlohmann::json::parse(both.out).get<Report>().findings.size() == 1);
  CHECK_MESSAGE(both.err.find("build failed (exit 4) after ") != std::string::npos, both.err);
  CHECK(both.err.find("; 1 error found\n") != std::string::npos);
}

TEST_CASE("repro on a tree that always clashes: hit at run 1, stops there") {
  MakeTree t(true);
  const std::string clean = "rm -rf " + ShellQuote(t.tree.root() + "/a") + " " +
                            ShellQuote(t.tree.root() + "/b");
  const CliResult r = Modrace("repro --tree " + ShellQuote(t.tree.root()) + " --clean " +
                              ShellQuote(clean) + " --format json -- " +
                              MakeCommand(t.tree.root()));
  CHECK_MESSAGE(r.status == kExitFindings, r.err);
  CHECK(r.err.find("run 1 of 10: HIT") != std::string::npos);
  CHECK(r.err.find("run 2 of 10") == std::string::npos);
  CHECK(r.err.find("hit 1 of 1 run (100%)") != std::string::npos);
  const Report report = nlohmann::json::parse(r.out).get<Report>();
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].module == "foo");
}

TEST_CASE("repro --output and --report keep the report apart from the builds' output") {
  MakeTree t(true);
  TestTree files;
  const std::string sarif = files.Abs("modrace.sarif");
  const std::string json = files.Abs("repro.json");
  const CliResult r = Modrace("repro --times 2 --tree " + ShellQuote(t.tree.root()) +
                              " --format sarif --output " + ShellQuote(sarif) + " --report " +
                              ShellQuote(json) + " -- sh -c " +
                              ShellQuote("echo building; " + MakeCommand(t.tree.root())));
  CHECK_MESSAGE(r.status == kExitFindings, r.err);
  CHECK(r.out == "building\n");
  CHECK(nlohmann::json::parse(Slurp(sarif))["runs"][0]["results"].size() == 1);
  const Report report = nlohmann::json::parse(Slurp(json)).get<Report>();
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].module == "foo");
  // A path that cannot be written stops repro before any build.
  const CliResult bad = Modrace("repro --tree " + ShellQuote(t.tree.root()) +
                                " --report /nonexistent/dir/r.json -- sh -c 'echo built'");
  CHECK(bad.status == kExitWrapperFailed);
  CHECK(bad.out.find("built") == std::string::npos);
  CHECK(bad.err.find("no build was run") != std::string::npos);
}

TEST_CASE("repro --all --times 3 measures the hit rate over every run") {
  MakeTree t(true);
  const CliResult r = Modrace("repro --all --times 3 --tree " + ShellQuote(t.tree.root()) +
                              " --format text -- " + MakeCommand(t.tree.root()));
  CHECK_MESSAGE(r.status == kExitFindings, r.err);
  CHECK(r.err.find("run 3 of 3: HIT") != std::string::npos);
  // Each run's report holds that run's build only: one finding each time.
  CHECK(r.err.find("run 2 of 3: HIT (1 finding") != std::string::npos);
  CHECK(r.err.find("hit 3 of 3 runs (100%): runs 1, 2, 3") != std::string::npos);
  CHECK(r.out.find("module_name_collision") != std::string::npos);
}

TEST_CASE("repro of a clean tree: no hit in any run, exit 0; a failing clean step stops it") {
  MakeTree t(false);
  const CliResult r = Modrace("repro --times 2 --tree " + ShellQuote(t.tree.root()) +
                              " --format json -- " + MakeCommand(t.tree.root()));
  CHECK_MESSAGE(r.status == kExitClean, r.err);
  CHECK(r.err.find("hit 0 of 2 runs (0%)") != std::string::npos);
  CHECK(nlohmann::json::parse(r.out).get<Report>().findings.empty());

  const CliResult bad = Modrace("repro --times 2 --clean 'exit 5' --tree " +
                                ShellQuote(t.tree.root()) + " -- " + MakeCommand(t.tree.root()));
  CHECK(bad.status == 5);
  CHECK(bad.err.find("--clean command failed (exit 5)") != std::string::npos);
}

TEST_CASE("run and repro: their own failures exit 125, 126, 127, never a build's status") {
  SetUpCliTestEnvironment();
  TestTree tree;
  const std::string t = " --tree " + ShellQuote(tree.root()) + " ";
  // make's error status is 2: bad usage of the wrapper must not read as it.
  const CliResult no_dashes = Modrace("run" + t + "make -j2");
  CHECK(no_dashes.status == kExitWrapperFailed);
  CHECK_MESSAGE(no_dashes.err.find("The build command goes after --") != std::string::npos,
                no_dashes.err);
  CHECK(Modrace("run").err.find("goes after --") != std::string::npos);
  CHECK(Modrace("run").status == kExitWrapperFailed);
  CHECK(Modrace("repro" + t + "make -j2").status == kExitWrapperFailed);
  CHECK(Modrace("repro --times 0 -- true").status == kExitWrapperFailed);
  CHECK(Modrace("run --format xml" + t + "-- true").status == kExitWrapperFailed);
  CHECK(Modrace("run --tree " + ShellQuote(tree.Abs("missing")) + " -- true").status ==
        kExitWrapperFailed);
  CHECK(Modrace("run" + t + "-- true", "MODRACED=/nonexistent").status == kExitWrapperFailed);
  // The variable is named, not --backend.
  const CliResult env = Modrace("run" + t + "-- true", "MODRACE_BACKEND=bogus");
  CHECK(env.status == kExitWrapperFailed);
  CHECK_MESSAGE(env.err.find("MODRACE_BACKEND=bogus") != std::string::npos, env.err);
  CHECK(env.err.find("--backend:") == std::string::npos);
  const CliResult start_env = Modrace("start" + t, "MODRACE_BACKEND=bogus");
  CHECK(start_env.status == kExitUsage);
  CHECK(start_env.err.find("MODRACE_BACKEND=bogus") != std::string::npos);
  // --backend given: the variable does not matter.
  CHECK(Modrace("run --format json --backend inotify" + t + "-- true", "MODRACE_BACKEND=bogus")
            .status == kExitClean);
  // A build command that is there but cannot be executed.
  tree.Write("not-executable", "#!/bin/sh\n");
  const CliResult cannot = Modrace("run --format json" + t + "-- " +
                                   ShellQuote(tree.Abs("not-executable")));
  CHECK(cannot.status == kExitCannotExecute);
  CHECK(cannot.err.find("build did not start (exit 126)") != std::string::npos);
  // --help says so.
  for (const char* args : {"--help", "run --help", "repro --help"}) {
    CAPTURE(args);
    const CliResult help = Modrace(args);
    CHECK(help.status == kExitClean);
    CHECK(help.out.find("125") != std::string::npos);
    CHECK(help.out.find("127") != std::string::npos);
  }
  // A build that fails with make's status: passed through, said on the last line.
  const CliResult two = Modrace("run --format json" + t + "-- sh -c 'exit 2'");
  CHECK(two.status == 2);
  CHECK(two.err.find("build failed (exit 2) after ") != std::string::npos);
  CHECK(two.err.find("; no findings\n") != std::string::npos);
}

TEST_CASE("run checks --output before the build starts") {
  SetUpCliTestEnvironment();
  TestTree tree;
  const std::string mark = tree.Abs("built");
  const std::string build = " -- sh -c " + ShellQuote("touch " + ShellQuote(mark));
  const std::string t = " --tree " + ShellQuote(tree.root());
  const CliResult missing_dir = Modrace("run" + t + " --output /nonexistent/dir/x.xml" + build);
  CHECK(missing_dir.status == kExitWrapperFailed);
  CHECK_MESSAGE(missing_dir.err.find("/nonexistent/dir/x.xml: No such file or directory") !=
                    std::string::npos,
                missing_dir.err);
  CHECK(missing_dir.err.find("the build was not started") != std::string::npos);
  const CliResult a_dir = Modrace("run" + t + " --output " + ShellQuote(tree.root()) + build);
  CHECK(a_dir.status == kExitWrapperFailed);
  CHECK(a_dir.err.find("Is a directory") != std::string::npos);
  // --report too (the daemon checks it as it starts).
  CHECK(Modrace("run" + t + " --report /nonexistent/dir/r.json" + build).status ==
        kExitWrapperFailed);
  struct stat st;
  CHECK(stat(mark.c_str(), &st) != 0);  // no build ran
  // A good path: the build runs and the file holds the report alone.
  TestTree files;
  const std::string json = files.Abs("r.json");
  files.Write("r.json", std::string(10000, 'x'));  // an older, longer file
  const CliResult ok = Modrace("run" + t + " --output " + ShellQuote(json) + build);
  CHECK_MESSAGE(ok.status == kExitClean, ok.err);
  CHECK(stat(mark.c_str(), &st) == 0);
  CHECK(nlohmann::json::parse(Slurp(json)).get<Report>().findings.empty());
}

TEST_CASE("repro counts a failed build as a run and goes on") {
  // A real make whose build fails on some runs: run n (from a counter kept
  // outside the tree) writes a second foo module and fails when n % 3 == 0,
  // fails without a clash when n % 3 == 1, succeeds cleanly when n % 3 == 2.
  SetUpCliTestEnvironment();
  TestTree tree, state;
  const std::string counter = state.Abs("n");
  {
    FILE* mk = fopen(tree.Abs("Makefile").c_str(), "w");
    REQUIRE(mk != nullptr);
    fprintf(mk,
            ".PHONY: all\n"
            "all:\n"
            "\t@n=$$(cat %s); echo $$((n + 1)) > %s; mkdir -p a b; "
            "printf 'a/foo.o\\n' > a/foo.mod; "
            "case $$((n %% 3)) in "
            "0) printf 'b/foo.o\\n' > b/foo.mod; exit 2;; "
            "1) printf 'b/bar.o\\n' > b/bar.mod; exit 2;; "
            "*) printf 'b/bar.o\\n' > b/bar.mod;; esac\n",
            ShellQuote(counter).c_str(), ShellQuote(counter).c_str());
    fclose(mk);
  }
  const std::string clean = "rm -rf " + ShellQuote(tree.Abs("a")) + " " + ShellQuote(tree.Abs("b"));
  const std::string repro = "repro --tree " + ShellQuote(tree.root()) + " --clean " +
                            ShellQuote(clean) + " --format json ";
  const std::string make = " -- make -s --no-print-directory -C " + ShellQuote(tree.root());
  SUBCASE("--all: every run, the failed ones counted") {
    state.Write("n", "0\n");
    const CliResult r = Modrace(repro + "--all --times 6" + make);
    CHECK_MESSAGE(r.status == kExitFindings, r.err);
    CHECK(r.err.find("run 1 of 6: HIT (1 finding; build failed (exit 2)") != std::string::npos);
    CHECK(r.err.find("run 2 of 6: no hit (0 findings; build failed (exit 2)") !=
          std::string::npos);
    CHECK(r.err.find("run 3 of 6: no hit (0 findings; build succeeded") != std::string::npos);
    CHECK(r.err.find("run 4 of 6: HIT") != std::string::npos);
    CHECK_MESSAGE(r.err.find("hit 2 of 6 runs (33%): runs 1, 4; builds failed in runs 1, 2, 4, 5") !=
                      std::string::npos,
                  r.err);
    CHECK(nlohmann::json::parse(r.out).get<Report>().findings.size() == 1);
  }
  SUBCASE("without --all: a failed build without a hit does not stop it") {
    state.Write("n", "1\n");
    const CliResult r = Modrace(repro + "--times 6" + make);
    CHECK_MESSAGE(r.status == kExitFindings, r.err);
    CHECK(r.err.find("run 3 of 6: HIT") != std::string::npos);
    CHECK(r.err.find("run 4 of 6") == std::string::npos);
    CHECK(r.err.find("hit 1 of 3 runs (33%): run 3; builds failed in runs 1, 3") !=
          std::string::npos);
  }
  SUBCASE("no hit, a build failed: the first failed build's status") {
    state.Write("n", "1\n");
    const CliResult r = Modrace(repro + "--all --times 2" + make);
    CHECK_MESSAGE(r.status == 2, r.err);
    CHECK(r.err.find("hit 0 of 2 runs (0%); the build failed in run 1") != std::string::npos);
  }
}

TEST_CASE("on a terminal, nothing of modrace's mixes into the build's output") {
  // A real pty (script(1)): the build prints a partial line and runs past
  // the half second a progress line would have been drawn at.
  SetUpCliTestEnvironment();
  TestTree tree;
  const std::string inner = "client/modrace run --format json --tree " +
                            ShellQuote(tree.root()) +
                            " -- sh -c 'printf partial; sleep 1.3; echo done'";
  const std::string cmd = "script -qec " + ShellQuote(inner) + " /dev/null </dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  CHECK(WIFEXITED(status));
  INFO(out);
  CHECK(out.find("partialdone") != std::string::npos);
  CHECK(out.find("\033[K") == std::string::npos);
  CHECK(out.find("so far") == std::string::npos);
  CHECK(out.find("modrace run: build succeeded after ") != std::string::npos);
}

}  // namespace modrace

namespace modrace {

// kbuild's O=DIR outside the watched tree: every output is written there,
// so the watch sees none; the report says so instead of looking clean.
TEST_CASE("run of a build whose O= is outside the tree: an incomplete report that says so") {
  SetUpCliTestEnvironment();
  TestTree src;
  TestTree out;
  src.Write("Makefile", "all:\n\tmkdir -p $(O)/sub && echo ELF > $(O)/sub/foo.ko\n");
  const std::string make = "make -s -C " + ShellQuote(src.root()) + " O=";
  const CliResult r = Modrace("run --tree " + ShellQuote(src.root()) + " --format json -- " +
                              make + ShellQuote(out.Abs("build")));
  CHECK_MESSAGE(r.status == kExitClean, r.err);  // a warning: --fail-on error passes
  const Report report = nlohmann::json::parse(r.out).get<Report>();
  CHECK_FALSE(report.complete);
  CHECK(report.coverage.outputs_outside == RealPath(out.root()) + "/build");
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].kind == FindingKind::kCoverageGap);
  CHECK(r.err.find("warning: the build writes its outputs to") != std::string::npos);
  CHECK(Modrace("run --tree " + ShellQuote(src.root()) + " --fail-on warning -- " + make +
                ShellQuote(out.Abs("build")))
            .status == kExitFindings);
  // repro refuses: no run could hit.
  const CliResult repro = Modrace("repro --tree " + ShellQuote(src.root()) + " --times 2 -- " +
                                  make + ShellQuote(out.Abs("build")));
  CHECK(repro.status == kExitWrapperFailed);
  CHECK(repro.err.find("outside the watched tree") != std::string::npos);
  // O= inside the tree: complete, nothing to say.
  const CliResult inside = Modrace("run --tree " + ShellQuote(src.root()) +
                                   " --format json -- " + make + "build");
  CHECK_MESSAGE(inside.status == kExitClean, inside.err);
  const Report in = nlohmann::json::parse(inside.out).get<Report>();
  CHECK(in.complete);
  CHECK(in.findings.empty());
}

// An external module build against a kernel directory whose vmlinux is of
// another release than its utsrelease.h, with BTF for modules: stale_input
// on vmlinux, said before the build and in the report (docs/kbuild.md,
// Stale inputs). The kernel's Makefile here builds nothing.
TEST_CASE("run of an M= build against a leftover vmlinux: stale_input, a warning") {
  SetUpCliTestEnvironment();
  TestTree ext;
  TestTree k;
  ext.Write("Kbuild", "obj-m += x.o\n");
  k.Write("Makefile", "modules:\n\t@true\n");
  k.Write("include/config/auto.conf", "CONFIG_MODULES=y\nCONFIG_DEBUG_INFO_BTF_MODULES=y\n");
  k.Write("include/generated/utsrelease.h", "#define UTS_RELEASE \"6.1.192-new\"\n");
  k.Write("vmlinux", std::string(16, '\0') + "Linux version 6.1.192 (root@h) #1\n");
  const std::string make =
      "make -s -C " + ShellQuote(k.root()) + " M=" + ShellQuote(ext.root()) + " modules";
  const CliResult r = Modrace("run --tree " + ShellQuote(ext.root()) + " --format json -- " + make);
  CHECK_MESSAGE(r.status == kExitClean, r.err);  // a warning: --fail-on error passes
  const Report report = nlohmann::json::parse(r.out).get<Report>();
  REQUIRE(report.findings.size() == 1);
  const Finding& f = report.findings[0];
  CHECK(f.kind == FindingKind::kStaleInput);
  CHECK(f.severity == Severity::kWarning);
  CHECK(f.paths == std::vector<std::string>{RealPath(k.root()) + "/vmlinux"});
  CHECK(f.id >= 1);
  CHECK(r.err.find("warning: stale_input: " + RealPath(k.root()) + "/vmlinux") !=
        std::string::npos);
  // Its banner fixed (as `make vmlinux` would): nothing.
  k.Write("vmlinux", std::string(16, '\0') + "Linux version 6.1.192-new (root@h) #2\n");
  const CliResult fresh =
      Modrace("run --tree " + ShellQuote(ext.root()) + " --format json -- " + make);
  CHECK_MESSAGE(fresh.status == kExitClean, fresh.err);
  CHECK(nlohmann::json::parse(fresh.out).get<Report>().findings.empty());
}

}  // namespace modrace

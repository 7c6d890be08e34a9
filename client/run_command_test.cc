// `modrace run` and `modrace repro` end to end: the real modrace starting
// the real modraced over real `make -j2` builds of generated trees, the
// build's own status passing through, and every format of run's report read
// back by the real parsers of client/format_testing.h.

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "client/cli_testing.h"
#include "client/exit_codes.h"
#include "client/format_testing.h"
#include "daemon/test_tree.h"
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
  // Piped: no progress line, nothing on stderr.
  CHECK(r.err.empty());
  CHECK(t.Run("--fail-on never --format json").status == kExitClean);
}

TEST_CASE("run over make -j2 of a clean tree: exit 0") {
  MakeTree t(false);
  const CliResult r = t.Run("--format json");
  CHECK_MESSAGE(r.status == kExitClean, r.err);
  const Report report = nlohmann::json::parse(r.out).get<Report>();
  CHECK(report.findings.empty());
  CHECK(report.complete);
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
  CHECK(missing.status == 127);
  CHECK(missing.err.find("cannot run no-such-build-command-here") != std::string::npos);
  // A build that fails after writing a clash still fails with its own status.
  WriteModuleMakefile(tree.root(), true);
  const CliResult both =
      Modrace("run" + t + "sh -c " + ShellQuote(MakeCommand(tree.root()) + " && exit 4"));
  CHECK(both.status == 4);
  CHECK(nlohmann::json::parse(both.out).get<Report>().findings.size() == 1);
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

}  // namespace modrace

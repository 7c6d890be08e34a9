// SPDX-License-Identifier: GPL-2.0-only
// The real modrace and modraced end to end on real temp trees: start,
// status, report (live, settled, --from a file), watch, stop, and the
// usage errors and --help of every subcommand. Flushes are barriers
// (`report --settle`), never sleeps.

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <regex>
#include <string>

#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "client/cli_testing.h"
#include "client/exit_codes.h"
#include "common/test_tree.h"
#include "proto/report.h"

namespace modrace {

namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// A started daemon on a fresh tree, stopped at the end.
struct Started {
  explicit Started(const std::string& extra = "") {
    SetUpCliTestEnvironment();
    const CliResult r = Modrace("start --tree " + ShellQuote(tree.root()) + " " + extra);
    REQUIRE_MESSAGE(r.status == kExitClean, r.err);
    socket = r.out.substr(0, r.out.find('\n'));
  }
  ~Started() { Modrace("stop --tree " + ShellQuote(tree.root())); }
  std::string T() const { return " --tree " + ShellQuote(tree.root()); }

  TestTree tree;
  std::string socket;
};

Report ParseReport(const std::string& json) {
  return nlohmann::json::parse(json).get<Report>();
}

}  // namespace

TEST_CASE("start, status, report --settle and stop on a real tree") {
  Started d;
  CHECK(Exists(d.socket));

  const CliResult status = Modrace("status" + d.T());  // piped: JSON
  REQUIRE_MESSAGE(status.status == kExitClean, status.err);
  const nlohmann::json s = nlohmann::json::parse(status.out);
  CHECK(s["tree"] == RealPath(d.tree.root()));
  CHECK(s["socket"] == d.socket);
  // The backend this target runs: $MODRACE_BACKEND, else auto (fanotify
  // as root, as in CI).
  const char* asked = getenv("MODRACE_BACKEND");
  if (asked != nullptr) {
    CHECK(s["backend"] == asked);
  } else if (geteuid() == 0) {
    CHECK(s["backend"] == "fanotify");
  }
  // The global option works before the subcommand, too.
  const CliResult text = Modrace("--tree " + ShellQuote(d.tree.root()) + " status --format text");
  CHECK(text.status == kExitClean);
  CHECK(text.out.find("watching " + RealPath(d.tree.root())) != std::string::npos);
  const CliResult by_socket = Modrace("status --socket " + ShellQuote(d.socket));
  CHECK(by_socket.status == kExitClean);

  const CliResult clean = Modrace("report --settle --format json" + d.T());
  CHECK_MESSAGE(clean.status == kExitClean, clean.err);
  CHECK(ParseReport(clean.out).findings.empty());

  d.tree.Write("a/foo.mod", "a/foo.o\n");
  d.tree.Write("b/foo.mod", "b/foo.o\n");
  const CliResult hit = Modrace("report --settle --format json" + d.T());
  CHECK_MESSAGE(hit.status == kExitFindings, hit.err);
  const Report report = ParseReport(hit.out);
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].kind == FindingKind::kModuleNameCollision);
  CHECK(report.findings[0].module == "foo");
  CHECK(Modrace("report --fail-on never --format text" + d.T()).status == kExitClean);

  const CliResult stop = Modrace("stop" + d.T());
  CHECK_MESSAGE(stop.status == kExitClean, stop.err);
  CHECK_FALSE(Exists(d.socket));
  const CliResult gone = Modrace("report" + d.T());
  CHECK(gone.status == kExitWatcher);
  CHECK(gone.err.find("modrace start") != std::string::npos);
  CHECK(Modrace("stop" + d.T()).status == kExitWatcher);
}

TEST_CASE("start refuses a second daemon on one tree (exit 3) and keeps the first") {
  Started d;
  const CliResult again = Modrace("start" + d.T());
  CHECK(again.status == kExitWatcher);
  CHECK(again.err.find("already running") != std::string::npos);
  CHECK(Modrace("status" + d.T()).status == kExitClean);
}

TEST_CASE("start says why the watcher could not run") {
  SetUpCliTestEnvironment();
  TestTree tree;
  SUBCASE("modraced's own words: a socket it cannot create") {
    const CliResult r = Modrace("start --tree " + ShellQuote(tree.root()) +
                                " --socket /nonexistent-dir/x.sock");
    CHECK(r.status == kExitWatcher);
    CHECK_MESSAGE(r.err.find("modraced: ") != std::string::npos, r.err);
    CHECK(r.err.find("/nonexistent-dir/x.sock") != std::string::npos);
  }
  SUBCASE("modraced's own words: a report file it cannot write is bad input") {
    const CliResult r = Modrace("start --tree " + ShellQuote(tree.root()) +
                                " --report /nonexistent-dir/report.json");
    CHECK(r.status == kExitUsage);
    CHECK_MESSAGE(r.err.find("modraced: ") != std::string::npos, r.err);
  }
  SUBCASE("no tree") {
    const CliResult r = Modrace("start --tree " + ShellQuote(tree.root() + "/missing"));
    CHECK(r.status == kExitUsage);
    CHECK(r.err.find("missing") != std::string::npos);
  }
  SUBCASE("no modraced") {
    const CliResult r = Modrace("start --tree " + ShellQuote(tree.root()), "MODRACED=/nonexistent");
    CHECK(r.status == kExitWatcher);
    CHECK(r.err.find("MODRACED=/nonexistent") != std::string::npos);
  }
  SUBCASE("without MODRACED, modraced is found beside the client (bazel-bin layout)") {
    const CliResult r = Modrace("start --tree " + ShellQuote(tree.root()), "-u MODRACED");
    CHECK_MESSAGE(r.status == kExitClean, r.err);
    CHECK(Modrace("stop --tree " + ShellQuote(tree.root())).status == kExitClean);
  }
}

TEST_CASE("status and stop show a line break in a tree's path as \\n") {
  SetUpCliTestEnvironment();
  TestTree parent;
  const std::string tree = parent.Abs("two\nlines");
  REQUIRE(mkdir(tree.c_str(), 0755) == 0);
  const std::string t = " --tree " + ShellQuote(tree);
  REQUIRE(Modrace("start" + t).status == kExitClean);
  const CliResult status = Modrace("status --format text" + t);
  CHECK(status.status == kExitClean);
  CHECK_MESSAGE(status.out.find("two\\nlines") != std::string::npos, status.out);
  CHECK(status.out.find("two\nlines") == std::string::npos);
  const CliResult stop = Modrace("stop" + t);
  CHECK(stop.status == kExitClean);
  CHECK(stop.err.find("two\\nlines\n") != std::string::npos);
  CHECK(std::count(stop.err.begin(), stop.err.end(), '\n') == 1);
  const CliResult gone = Modrace("status" + t);
  CHECK(gone.status == kExitWatcher);
  CHECK(gone.err.find("two\nlines") == std::string::npos);
  CHECK(std::count(gone.err.begin(), gone.err.end(), '\n') == 1);
}

TEST_CASE("--backend fanotify without the privilege: two short lines, the hint once") {
  if (!CanDropToNobody()) {
    MESSAGE("SKIPPED: needs root and setpriv to run modrace as another user");
    return;
  }
  AsNobody nobody;
  nobody.Write("tree/Makefile", "all:\n");
  const CliResult r = nobody.Modrace("run --backend fanotify --tree " +
                                     ShellQuote(nobody.Abs("tree")) + " -- true");
  CHECK(r.status == kExitWrapperFailed);
  INFO(r.err);
  const size_t hint = r.err.find("CAP_SYS_ADMIN");
  CHECK(hint != std::string::npos);
  CHECK(r.err.find("CAP_SYS_ADMIN", hint + 1) == std::string::npos);
  CHECK(r.err.find("--backend inotify") != std::string::npos);
  size_t start = 0, lines = 0;
  for (size_t nl; (nl = r.err.find('\n', start)) != std::string::npos; start = nl + 1) {
    ++lines;
    CHECK(nl - start <= 100);
  }
  CHECK(lines == 3);  // modraced's two, then run's own
}

TEST_CASE("status --all lists every running daemon of this user: tree and socket") {
  Started one, two;
  const CliResult json = Modrace("status --all --format json");
  REQUIRE_MESSAGE(json.status == kExitClean, json.err);
  const nlohmann::json all = nlohmann::json::parse(json.out);
  REQUIRE(all.is_array());
  std::vector<std::string> trees;
  for (const auto& s : all) trees.push_back(s["tree"]);
  CHECK(std::count(trees.begin(), trees.end(), RealPath(one.tree.root())) == 1);
  CHECK(std::count(trees.begin(), trees.end(), RealPath(two.tree.root())) == 1);
  const CliResult text = Modrace("status --all --format text");
  CHECK(text.out.find(RealPath(one.tree.root()) + "  (daemon ") != std::string::npos);
  CHECK(text.out.find("socket " + one.socket + ")") != std::string::npos);
  CHECK(text.out.find("socket " + two.socket + ")") != std::string::npos);
  // From any directory, without --tree: not only the daemon of ".".
  REQUIRE(Modrace("stop" + two.T()).status == kExitClean);
  const CliResult after = Modrace("status --all --format text");
  CHECK(after.out.find(RealPath(one.tree.root())) != std::string::npos);
  CHECK(after.out.find(RealPath(two.tree.root())) == std::string::npos);
  CHECK(Modrace("status --all" + one.T()).status == kExitUsage);
  // A socket left behind by a daemon that died is named as such.
  const std::string stale = std::string(getenv("XDG_RUNTIME_DIR")) + "/modrace/stale.sock";
  FILE* f = fopen(stale.c_str(), "w");
  REQUIRE(f != nullptr);
  fclose(f);
  const CliResult with_stale = Modrace("status --all --format text");
  unlink(stale.c_str());
  CHECK(with_stale.status == kExitClean);
  CHECK(with_stale.out.find(stale + ": no daemon answers") != std::string::npos);
  CHECK(with_stale.out.find(RealPath(one.tree.root())) != std::string::npos);
}

TEST_CASE("report --from renders a saved report without a daemon") {
  TestTree files;
  const std::string saved = files.Abs("saved.json");
  {
    Started d("--report " + ShellQuote(saved));
    d.tree.Write("x/dup.mod", "x/dup.o\n");
    d.tree.Write("y/dup.mod", "y/dup.o\n");
    REQUIRE(Modrace("report --settle" + d.T()).status == kExitFindings);
    // Counted in English: "written once", "written twice", "written 3 times".
    const CliResult st = Modrace("status --format text" + d.T());
    CHECK_MESSAGE(std::regex_search(st.out, std::regex(R"(\(written (once|twice|([3-9]|[1-9][0-9]+) times)\))")),
                  st.out);
    REQUIRE(Modrace("stop" + d.T()).status == kExitClean);
  }
  const CliResult r = Modrace("report --format json --from " + ShellQuote(saved));
  CHECK_MESSAGE(r.status == kExitFindings, r.err);
  const Report report = ParseReport(r.out);
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].module == "dup");
  CHECK(Modrace("report --format text --fail-on never --from " + ShellQuote(saved)).status ==
        kExitClean);

  const CliResult missing = Modrace("report --from " + ShellQuote(files.Abs("nope.json")));
  CHECK(missing.status == kExitUsage);
  CHECK(missing.err.find("nope.json: No such file or directory") != std::string::npos);
  files.Write("no-schema.json", R"({"findings": []})");
  const CliResult no_schema = Modrace("report --from " + ShellQuote(files.Abs("no-schema.json")));
  CHECK(no_schema.status == kExitUsage);
  CHECK(no_schema.err.find("json.exception") == std::string::npos);
  CHECK(no_schema.err.find("has no \"schema\"") != std::string::npos);
  files.Write("garbage.json", "{not json");
  const CliResult garbage = Modrace("report --from " + ShellQuote(files.Abs("garbage.json")));
  CHECK(garbage.status == kExitUsage);
  CHECK(garbage.err.find("not JSON") != std::string::npos);
  files.Write("other.json", R"({"schema": "something.else/9", "findings": []})");
  const CliResult other = Modrace("report --from " + ShellQuote(files.Abs("other.json")));
  CHECK(other.status == kExitUsage);
  CHECK(other.err.find("not a modrace report") != std::string::npos);
}

TEST_CASE("watch prints a finding written after it subscribed, ends on SIGINT") {
  Started d;
  TestTree files;
  int out = -1;
  const pid_t watch = SpawnModrace("watch --format json" + d.T(), &out, files.Abs("err"));
  // Subscribed once the daemon counts a subscriber (a state, polled).
  bool subscribed = false;
  for (int i = 0; i < 500 && !subscribed; ++i) {
    const CliResult s = Modrace("status --format json" + d.T());
    subscribed = s.status == 0 && nlohmann::json::parse(s.out)["subscribers"] == 1;
  }
  REQUIRE(subscribed);
  d.tree.Write("a/late.mod", "a/late.o\n");
  d.tree.Write("b/late.mod", "b/late.o\n");
  REQUIRE(Modrace("report --settle" + d.T()).status == kExitFindings);
  std::string lines;
  REQUIRE(ReadUntil(out, "\n", &lines, 10000));
  const nlohmann::json event = nlohmann::json::parse(lines.substr(0, lines.find('\n')));
  CHECK(event["event"] == "finding");
  CHECK(event["finding"]["module"] == "late");
  kill(watch, SIGINT);
  CHECK(WaitExit(watch, 10000) == kExitClean);
  close(out);
}

TEST_CASE("watch says so when the daemon goes away") {
  Started d;
  TestTree files;
  d.tree.Write("a/early.mod", "a/early.o\n");
  d.tree.Write("b/early.mod", "b/early.o\n");
  REQUIRE(Modrace("report --settle" + d.T()).status == kExitFindings);
  int out = -1;
  const pid_t watch = SpawnModrace("watch --format text" + d.T(), &out, files.Abs("err"));
  // Findings from before the subscription come first.
  std::string lines;
  REQUIRE(ReadUntil(out, "\n", &lines, 10000));
  CHECK(lines.find("module_name_collision") != std::string::npos);
  CHECK(lines.find("early") != std::string::npos);
  REQUIRE(Modrace("stop" + d.T()).status == kExitClean);
  CHECK(WaitExit(watch, 10000) == kExitClean);
  CHECK(Slurp(files.Abs("err")).find("daemon went away") != std::string::npos);
  close(out);
}

TEST_CASE("--help of every subcommand answers, exit 0") {
  SetUpCliTestEnvironment();
  for (const char* name :
       {"start", "stop", "status", "report", "watch", "run", "repro", "audit", "replay"}) {
    CAPTURE(name);
    const CliResult r = Modrace(std::string(name) + " --help");
    CHECK(r.status == kExitClean);
    CHECK(r.out.find(std::string("modrace ") + name) != std::string::npos);
    CHECK(r.out.find("OPTIONS") != std::string::npos);
  }
  const CliResult top = Modrace("--help");
  CHECK(top.status == kExitClean);
  for (const char* name : {"start", "run", "repro", "watch"}) {
    CHECK(top.out.find(name) != std::string::npos);
  }
}

TEST_CASE("bad usage exits 2 with a one-line hint") {
  SetUpCliTestEnvironment();
  const CliResult frob = Modrace("frob");
  CHECK(frob.status == kExitUsage);
  CHECK(frob.err.find("unknown subcommand 'frob'") != std::string::npos);
  CHECK(frob.err.find("start") != std::string::npos);
  CHECK(Modrace("--tree /tmp frob").err.find("unknown subcommand 'frob'") != std::string::npos);

  const CliResult none = Modrace("");
  CHECK(none.status == kExitUsage);
  CHECK(none.err.find("subcommand is required") != std::string::npos);

  const CliResult flag = Modrace("report --bogus");
  CHECK(flag.status == kExitUsage);
  CHECK(flag.err.find("modrace report --help") != std::string::npos);

  CHECK(Modrace("report --format xml").status == kExitUsage);
  CHECK(Modrace("report --fail-on sometimes").status == kExitUsage);
  CHECK(Modrace("start --backend magic").status == kExitUsage);
  CHECK(Modrace("watch --format junit").status == kExitUsage);
  // run and repro wrap a build: their bad usage is 125 (run_command_test).
  CHECK(Modrace("run").status == kExitWrapperFailed);
  CHECK(Modrace("repro --times 0 -- true").status == kExitWrapperFailed);
  CHECK(Modrace("repro --times x -- true").status == kExitWrapperFailed);
  CHECK(Modrace("status --tree /nonexistent-tree").status == kExitUsage);
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
// The examples under `modrace run`, end to end: real make, real kbuild
// (linux-headers-amd64, which scripts/setup installs), the real binaries.
// Each example gives its expected findings; its clean variant gives none.

#include <dirent.h>
#include <glob.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdio.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "client/cli_testing.h"
#include "client/format/format_testing.h"
#include "client/format/trace_format.h"
#include "common/strings.h"
#include "proto/fs_event.h"
#include "proto/report.h"

namespace modrace {

namespace {

// A private copy of an example under a fresh temp dir.
std::string CopyExample(const std::string& name) {
  char dir[] = "/tmp/modrace-example-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string tree = std::string(dir) + "/" + name;
  REQUIRE(system(("cp -r " + ShellQuote("examples/" + name) + " " + ShellQuote(tree)).c_str()) ==
          0);
  return tree;
}

void RemoveTree(const std::string& tree) {
  system(("rm -rf " + ShellQuote(tree.substr(0, tree.rfind('/')))).c_str());
}

// The kbuild of linux-headers-amd64, or "" when missing.
std::string KernelBuildDir() {
  glob_t g;
  std::string dir;
  if (glob("/usr/src/linux-headers-*-amd64/Makefile", 0, nullptr, &g) == 0 && g.gl_pathc > 0) {
    dir = g.gl_pathv[0];
    dir = dir.substr(0, dir.rfind('/'));
  }
  globfree(&g);
  return dir;
}

struct RunResult {
  int status = -1;
  Report report;
  std::string err;
};

// modrace run --tree TREE --format json --report R --record E -- BUILD
RunResult RunUnderModrace(const std::string& tree, const std::string& build,
                          const std::string& backend) {
  const std::string report = tree + "/../report.json";
  const std::string record = tree + "/../events.jsonl";
  const CliResult r = Modrace("run --tree " + ShellQuote(tree) + " --format json --report " +
                              ShellQuote(report) + " --record " + ShellQuote(record) +
                              " --backend " + backend + " -- " + build);
  RunResult out;
  out.status = r.status;
  out.err = r.err;
  const std::string text = Slurp(report);
  REQUIRE_MESSAGE(!text.empty(), "no report; stderr: " << r.err);
  out.report = nlohmann::json::parse(text).get<Report>();
  return out;
}

// Every example runs with both backends; fanotify needs root (CI runs as
// root), and says so when skipped.
std::vector<std::string> Backends() {
  if (geteuid() == 0) return {"inotify", "fanotify"};
  MESSAGE("fanotify runs skipped: not root");
  return {"inotify"};
}

// The events of a --record file, each process resolved.
std::vector<FsEvent> ReadRecording(const std::string& path) {
  const std::string text = Slurp(path);
  std::vector<FsEvent> events;
  EventLineReader reader;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    FsEvent e;
    std::string error;
    if (end > start) {
      REQUIRE_MESSAGE(reader.Parse(text.substr(start, end - start), &e, &error), error);
      events.push_back(std::move(e));
    }
    start = end + 1;
  }
  return events;
}

std::vector<const Finding*> Of(const Report& r, FindingKind kind) {
  std::vector<const Finding*> out;
  for (const auto& f : r.findings) {
    if (f.kind == kind) out.push_back(&f);
  }
  return out;
}

// The module paths of the module_name_collision findings, sorted, one list
// per finding.
std::vector<std::vector<std::string>> ClashPaths(const Report& r) {
  std::vector<std::vector<std::string>> out;
  for (const Finding* f : Of(r, FindingKind::kModuleNameCollision)) {
    out.push_back(f->paths);
    std::sort(out.back().begin(), out.back().end());
  }
  return out;
}

// Where modrace watches from, relative to the build: the build's own
// directory, its parent, or the parent of the source and an O= directory.
struct Placement {
  const char* name;
  bool from_parent;
  bool with_o;
};
// A private copy of an example at D/w/NAME, so that its parent D/w can be
// watched and the reports still go beside it (to D).
std::string CopyExampleOneDeeper(const std::string& name) {
  const std::string tree = CopyExample(name);
  const std::string dir = tree.substr(0, tree.rfind('/'));
  const std::string deeper = dir + "/w/" + name;
  REQUIRE(system(("mkdir " + ShellQuote(dir + "/w") + " && mv " + ShellQuote(tree) + " " +
                  ShellQuote(deeper))
                     .c_str()) == 0);
  return deeper;
}

void RemoveOneDeeper(const std::string& tree) {
  const std::string w = tree.substr(0, tree.rfind('/'));
  RemoveTree(w);
}

const Placement kPlacements[] = {{"from the tree", false, false},
                                 {"from its parent", true, false},
                                 {"with O= beside it", true, true}};

}  // namespace

// Paths inside records are relative to the build's output directory, not to
// the watched root (docs/kbuild.md, "Paths inside artifacts").
TEST_CASE("rothwell-2019 watched from its tree, its parent and with O=: clean is clean, a clash "
          "is named once") {
  for (const std::string& backend : Backends()) {
    for (const Placement& at : kPlacements) {
      CAPTURE(backend);
      const std::string where = at.name;
      CAPTURE(where);
      SetUpCliTestEnvironment();
      const std::string tree = CopyExampleOneDeeper("rothwell-2019");  // D/w/rothwell-2019
      const std::string parent = tree.substr(0, tree.rfind('/'));
      const std::string out = parent + "/out";
      const std::string watched = at.from_parent ? parent : tree;
      const std::string make = "make -s -C " + ShellQuote(tree) + " -j2" +
                               (at.with_o ? " O=" + ShellQuote(out) : std::string());
      const std::string prefix =
          !at.from_parent ? "" : at.with_o ? "out/" : "rothwell-2019/";
      const RunResult clean = RunUnderModrace(watched, make + " RENAME=1 >/dev/null", backend);
      CHECK(clean.status == 0);
      CHECK_MESSAGE(clean.report.findings.empty(), nlohmann::json(clean.report).dump());
      REQUIRE(system((make + " clean").c_str()) == 0);
      const RunResult clash = RunUnderModrace(watched, make + " >/dev/null", backend);
      CHECK(ClashPaths(clash.report) ==
            std::vector<std::vector<std::string>>{
                {prefix + "drivers/net/phy/asix", prefix + "drivers/net/usb/asix"}});
      RemoveOneDeeper(tree);
    }
  }
}

TEST_CASE("kbuild-duplicate on real 6.1 kbuild watched from the parent of M=: the paths are "
          "relative to the watched root") {
  for (const std::string& backend : Backends()) {
    CAPTURE(backend);
    SetUpCliTestEnvironment();
    const std::string kdir = KernelBuildDir();
    REQUIRE_MESSAGE(!kdir.empty(), "linux-headers-amd64 is missing: run scripts/setup as root");
    const std::string tree = CopyExampleOneDeeper("kbuild-duplicate");
    const std::string parent = tree.substr(0, tree.rfind('/'));
    const std::string make = "make -s -C " + ShellQuote(kdir) + " M=" + ShellQuote(tree) + " -j2";
    const RunResult clean = RunUnderModrace(parent, make + " modules RENAME=1", backend);
    CHECK(clean.status == 0);
    CHECK_MESSAGE(clean.report.findings.empty(), nlohmann::json(clean.report).dump());
    system((make + " clean >/dev/null 2>&1").c_str());
    const RunResult clash = RunUnderModrace(parent, make + " modules", backend);
    CHECK(ClashPaths(clash.report) == std::vector<std::vector<std::string>>{
                                          {"kbuild-duplicate/a/foo", "kbuild-duplicate/b/foo"}});
    RemoveOneDeeper(tree);
  }
}

TEST_CASE("rothwell-2019 under modrace run, 20 builds: every build with the duplicate flagged") {
  for (const std::string& backend : Backends()) {
    CAPTURE(backend);
    SetUpCliTestEnvironment();
    const std::string tree = CopyExample("rothwell-2019");
    const int kRuns = 20;
    int make_failed = 0, flagged = 0, concurrent = 0, torn = 0, named_recipes = 0, jobs_named = 0;
    for (int i = 0; i < kRuns; ++i) {
      REQUIRE(system(("make -s -C " + ShellQuote(tree) + " clean").c_str()) == 0);
      const RunResult r = RunUnderModrace(tree, "make -s -C " + ShellQuote(tree) + " -j2", backend);
      if (r.status != 0 && r.status != 1) ++make_failed;
      bool asix = false;
      for (const Finding* f : Of(r.report, FindingKind::kModuleNameCollision)) {
        asix = asix || f->module == "asix";
      }
      flagged += asix ? 1 : 0;
      const auto overlaps = Of(r.report, FindingKind::kConcurrentWriters);
      concurrent += overlaps.empty() ? 0 : 1;
      if (backend == "fanotify") {
        // Both asix recipes are named as jobs in the clash, whether or not
        // their writes overlapped.
        std::set<uint64_t> asix_jobs;
        for (const Finding* f : Of(r.report, FindingKind::kModuleNameCollision)) {
          for (const JobRef& j : f->jobs) {
            for (const JobRef& whole : r.report.jobs) {  // the report's table: whole recipes
              if (f->module == "asix" && whole.id == j.id &&
                  whole.recipe.find(".tmp_versions/asix.mod") != std::string::npos) {
                asix_jobs.insert(j.id);
              }
            }
          }
        }
        CHECK_MESSAGE(asix_jobs.size() == 2, nlohmann::json(r.report).dump());
        jobs_named += asix_jobs.size() == 2 ? 1 : 0;
        // Its trace (--format trace) is valid and draws both asix jobs as
        // slices, the clash an instant on each of their lanes.
        const nlohmann::json trace = TraceOf(r.report);
        const std::vector<std::string> problems = TraceProblems(trace);
        CHECK_MESSAGE(problems.empty(), problems.front());
        std::set<uint64_t> sliced;
        size_t clash_marks = 0;
        for (const auto& e : trace["traceEvents"]) {
          if (e["ph"] == "X" && asix_jobs.count(e["args"]["job"].get<uint64_t>())) {
            sliced.insert(e["args"]["job"].get<uint64_t>());
          }
          if (e["ph"] == "i" && e["name"] == "module_name_collision") ++clash_marks;
        }
        CHECK(sliced == asix_jobs);
        CHECK(clash_marks >= 2);
        // The racing recipes are named: each overlap lists two processes
        // whose command lines are the recipes writing the record.
        for (const Finding* f : overlaps) {
          std::set<int32_t> recipes;
          for (const auto& w : f->writers) {
            if (w.process && w.process->cmdline.find(".tmp_versions/asix.mod") != std::string::npos) {
              recipes.insert(w.process->pid);
            }
          }
          CHECK_MESSAGE(recipes.size() >= 2, nlohmann::json(*f).dump());
          named_recipes += recipes.size() >= 2 ? 1 : 0;
        }
      }
      torn += Of(r.report, FindingKind::kTornFile).empty() ? 0 : 1;
    }
    MESSAGE("rothwell-2019 (" << backend << "): " << kRuns << " builds, make failed " << make_failed
                              << ", modrace flagged the asix clash " << flagged
                              << ", concurrent writers seen " << concurrent
                              << " (both racing recipes named in " << named_recipes << ")"
                              << ", both asix recipes named as jobs in " << jobs_named
                              << ", torn files " << torn);
    CHECK(flagged == kRuns);
    // The clean variant: the 2019 fix (the PHY driver renamed).
    REQUIRE(system(("make -s -C " + ShellQuote(tree) + " clean").c_str()) == 0);
    const RunResult clean =
        RunUnderModrace(tree, "make -s -C " + ShellQuote(tree) + " -j2 RENAME=1", backend);
    CHECK(clean.status == 0);
    CHECK_MESSAGE(clean.report.findings.empty(), nlohmann::json(clean.report).dump());
    CHECK(clean.report.jobs_unavailable.empty() == (backend == "fanotify"));
    RemoveTree(tree);
  }
}

TEST_CASE("kbuild-duplicate on real 6.1 kbuild: the clash is reported before modules_check") {
  for (const std::string& backend : Backends()) {
    CAPTURE(backend);
    SetUpCliTestEnvironment();
    const std::string kdir = KernelBuildDir();
    REQUIRE_MESSAGE(!kdir.empty(), "linux-headers-amd64 is missing: run scripts/setup as root");
    const std::string tree = CopyExample("kbuild-duplicate");
    const std::string make = "make -s -C " + ShellQuote(kdir) + " M=" + ShellQuote(tree) + " -j2";
    const RunResult r = RunUnderModrace(tree, make + " modules", backend);
    CHECK(r.status == 2);  // make's own status: modules_check stopped it
    const auto clashes = Of(r.report, FindingKind::kModuleNameCollision);
    REQUIRE(clashes.size() == 1);
    CHECK(clashes[0]->module == "foo");
    std::vector<std::string> paths = clashes[0]->paths;  // in the order the jobs wrote them
    std::sort(paths.begin(), paths.end());
    CHECK(paths == std::vector<std::string>{"a/foo", "b/foo"});
    // The order: found no later than the top modules.order (which
    // modules_check reads) was written: from the second foo.mod, or from
    // modules.order itself. kbuild 6.1 does not order the two (`%.mod:
    // FORCE` has no prerequisite; modules.order waits for the objects only:
    // docs/kbuild.md, Artifacts of a 6.1 module build), so with -j2 either
    // may come first.
    REQUIRE_FALSE(clashes[0]->evidence.empty());
    const std::string source = clashes[0]->evidence[0].path;
    CHECK_MESSAGE((EndsWith(source, ".mod") || source == "modules.order"), source);
    uint64_t order_seq = 0;
    for (const FsEvent& e : ReadRecording(tree + "/../events.jsonl")) {
      // fanotify's names_only events only name writers: the analyzer reads
      // the list at inotify's close_write of it.
      if (!e.names_only && e.kind == EventKind::kCloseWrite && e.path == "modules.order" &&
          order_seq == 0) {
        order_seq = e.seq;
      }
    }
    MESSAGE("kbuild-duplicate (" << backend << "): clash found at seq " << clashes[0]->first_seq
                                                    << ", top modules.order written at seq "
                                                    << order_seq);
    CHECK(order_seq > 0);
    CHECK(clashes[0]->first_seq <= order_seq);
    // The clean variant.
    system((make + " clean >/dev/null 2>&1").c_str());
    const RunResult clean = RunUnderModrace(tree, make + " modules RENAME=1", backend);
    CHECK(clean.status == 0);
    CHECK_MESSAGE(clean.report.findings.empty(), nlohmann::json(clean.report).dump());
    RemoveTree(tree);
  }
}

// One line of Kbuild, one cause (docs/architecture.md, Causes): every
// finding but a coverage gap shares it, the JSON keeps them all, and the
// text of the report (`report --from`) has one headline; with jobs
// (fanotify), the write_hazard on sub/x.o, found in every build.
void CheckOneCause(const Report& report, const std::string& report_file, bool jobs) {
  std::set<uint64_t> causes;
  std::string kinds;
  for (const Finding& f : report.findings) {
    CHECK(f.cause != 0);
    kinds += std::string(FindingKindName(f.kind)) + " " + (f.paths.empty() ? "" : f.paths.front()) +
             " (cause " + std::to_string(f.cause) + "); ";
    if (f.kind != FindingKind::kCoverageGap) causes.insert(f.cause);
  }
  if (report.findings.empty()) return;
  CHECK_MESSAGE(causes.size() == 1, kinds);
  for (const Finding& f : report.findings) {
    if (!jobs || f.id != *causes.begin()) continue;
    CHECK(f.kind == FindingKind::kWriteHazard);
    CHECK(f.paths == std::vector<std::string>{"sub/x.o"});
  }
  const CliResult text =
      Modrace("report --fail-on never --format text --from " + ShellQuote(report_file));
  size_t headlines = 0;
  for (size_t at = 0; at < text.out.size();) {
    const size_t end = text.out.find('\n', at);
    const std::string line = text.out.substr(at, end - at);
    if (line.rfind("error: ", 0) == 0 || line.rfind("warning: ", 0) == 0) {
      if (line.find("coverage_gap") == std::string::npos) ++headlines;
    }
    if (end == std::string::npos) break;
    at = end + 1;
  }
  CHECK_MESSAGE(headlines == 1, text.out);
  MESSAGE("kbuild-twice: " << report.findings.size() << " findings, " << causes.size()
                           << " cause(s): " << kinds);
}

TEST_CASE("kbuild-twice on real 6.1 kbuild: one path built twice, not a clash") {
  for (const std::string& backend : Backends()) {
    CAPTURE(backend);
    SetUpCliTestEnvironment();
    const std::string kdir = KernelBuildDir();
    REQUIRE_MESSAGE(!kdir.empty(), "linux-headers-amd64 is missing: run scripts/setup as root");
    const std::string tree = CopyExample("kbuild-twice");
    const std::string make = "make -s -C " + ShellQuote(kdir) + " M=" + ShellQuote(tree) + " -j2";
    // fanotify names the two makes' jobs in every build, including those
    // that die in fixdep or objtool: counted over kRuns builds.
    const int runs = backend == "fanotify" ? 10 : 1;
    int failed = 0, hazards = 0, failed_with_hazard = 0;
    for (int i = 0; i < runs; ++i) {
      system((make + " clean >/dev/null 2>&1").c_str());
      const RunResult r = RunUnderModrace(tree, make + " modules", backend);
      CHECK(Of(r.report, FindingKind::kModuleNameCollision).empty());
      // Listed twice in modules.order when the build got that far; written by
      // two jobs at once in any case.
      const bool duplicate = !Of(r.report, FindingKind::kDuplicateModulePath).empty();
      const bool concurrent = !Of(r.report, FindingKind::kConcurrentWriters).empty();
      bool hazard = false;
      for (const Finding* f : Of(r.report, FindingKind::kWriteHazard)) {
        if (f->paths != std::vector<std::string>{"sub/x.o"}) continue;
        CHECK(f->severity == Severity::kError);
        REQUIRE(f->jobs.size() >= 2);
        CHECK(f->jobs[0].make_pid != f->jobs[1].make_pid);  // two makes
        CHECK(f->message.find("sub/x.o is built twice") != std::string::npos);
        // Where it points: both lines that reach sub/x.o (client/prediction_merge.h).
        REQUIRE(f->sources.size() == 2);
        CHECK(f->sources[0].file == "Kbuild");
        CHECK(f->sources[0].text == "obj-m += sub/ sub/x.o");
        CHECK(f->sources[1].file == "sub/Kbuild");
        CHECK(f->sources[1].text == "obj-m += x.o");
        hazard = true;
      }
      MESSAGE("kbuild-twice (" << backend << "): make status " << r.status
                               << ", duplicate_module_path " << duplicate << ", concurrent_writers "
                               << concurrent << ", write_hazard on sub/x.o " << hazard);
      failed += r.status != 0 ? 1 : 0;
      hazards += hazard ? 1 : 0;
      failed_with_hazard += r.status != 0 && hazard ? 1 : 0;
      if (backend == "inotify") {
        CHECK_FALSE(hazard);
        CHECK_FALSE(r.report.jobs_unavailable.empty());  // said, never guessed
      }
      if (r.status == 0) CHECK(duplicate);  // modules.order lists sub/x.ko twice
      CheckOneCause(r.report, tree + "/../report.json", backend == "fanotify");
      for (const Finding* f : Of(r.report, FindingKind::kDuplicateModulePath)) {
        CHECK(f->paths == std::vector<std::string>{"sub/x"});
      }
    }
    MESSAGE("kbuild-twice (" << backend << "): " << runs << " builds, " << failed
                             << " failed; write_hazard on sub/x.o in " << hazards << " ("
                             << failed_with_hazard << " of the failed ones)");
    if (backend == "fanotify") CHECK(hazards == runs);
    system((make + " clean >/dev/null 2>&1").c_str());
    const RunResult clean = RunUnderModrace(tree, make + " modules ONCE=1", backend);
    CHECK(clean.status == 0);
    CHECK_MESSAGE(clean.report.findings.empty(), nlohmann::json(clean.report).dump());
    RemoveTree(tree);
  }
}

// `modrace run` with the build's stdout and stderr in one file, as a
// terminal shows them: the order of its lines and the report.
struct MergedRun {
  int status = -1;
  std::string log;
  Report report;
};

MergedRun RunMerged(const std::string& tree, const std::string& build) {
  const std::string log = tree + "/../run.log";
  const std::string report = tree + "/../report.json";
  const int raw = system(("exec client/modrace run --tree " + ShellQuote(tree) +
                          " --format text --report " + ShellQuote(report) + " -- " + build +
                          " </dev/null >" + ShellQuote(log) + " 2>&1")
                             .c_str());
  MergedRun out;
  out.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  out.log = Slurp(log);
  const std::string text = Slurp(report);
  REQUIRE_MESSAGE(!text.empty(), "no report; output: " << out.log);
  out.report = nlohmann::json::parse(text).get<Report>();
  return out;
}

// Predictions (docs/architecture.md, Predictions): the kernel's .config
// (K/.config for `make -C K M=TREE`) makes the audit predict kbuild-duplicate's
// clash; it is said before the first compile and confirmed by the build.
TEST_CASE("kbuild-duplicate under modrace run: the clash predicted before the first compile") {
  SetUpCliTestEnvironment();
  const std::string kdir = KernelBuildDir();
  REQUIRE_MESSAGE(!kdir.empty(), "linux-headers-amd64 is missing: run scripts/setup as root");
  REQUIRE_MESSAGE(access((kdir + "/.config").c_str(), R_OK) == 0, kdir << " has no .config");
  const std::string tree = CopyExample("kbuild-duplicate");
  const std::string make = "make -C " + ShellQuote(kdir) + " M=" + ShellQuote(tree) + " -j2";
  const std::string predicted =
      "error: module_name_collision (likely, predicted): foo: a/foo.ko, b/foo.ko\n"
      "    built by: Kbuild:8: obj-m += a/foo.o b/foo.o\n";
  auto check_said_first = [&](const std::string& log) {
    const size_t said = log.find(predicted);
    const size_t compiled = log.find("CC [M]");
    CHECK_MESSAGE(said != std::string::npos, log);
    CHECK_MESSAGE(log.find("modrace run: predicted from " + kdir + "/.config") == 0, log);
    CHECK_MESSAGE(said < compiled, log);  // npos when nothing compiled
    CHECK(said < log.find("make: Entering directory"));
  };
  auto only_clash = [](const Report& r) {
    const auto clashes = Of(r, FindingKind::kModuleNameCollision);
    REQUIRE_MESSAGE(clashes.size() == 1, nlohmann::json(r).dump());
    REQUIRE(clashes[0]->prediction.has_value());
    REQUIRE(clashes[0]->sources.size() == 1);
    CHECK(clashes[0]->sources[0].line == 8);
    return *clashes[0];
  };

  SUBCASE("the build writes both: confirmed, once, certain") {
    const MergedRun r = RunMerged(tree, make + " modules");
    CHECK(r.status == 2);  // modules_check stopped it
    check_said_first(r.log);
    const Finding f = only_clash(r.report);
    CHECK(f.confidence == Confidence::kCertain);
    CHECK(f.prediction->confirmed);
    CHECK(r.log.find("predicted, confirmed: ") != std::string::npos);
  }
  SUBCASE("the build stops before b/foo: not confirmed, likely, and why") {
    // The copy's files may be links into the runfiles: replace, never write through.
    const std::string foo = ShellQuote(tree + "/b/foo.c");
    REQUIRE(system(("rm -f " + foo + " && echo '#error stopped on purpose' > " + foo).c_str()) ==
            0);
    const MergedRun r = RunMerged(tree, make + " modules");
    CHECK(r.status == 2);
    check_said_first(r.log);
    const Finding f = only_clash(r.report);
    CHECK(f.confidence == Confidence::kLikely);
    CHECK(f.severity == Severity::kError);
    CHECK_FALSE(f.prediction->confirmed);
    CHECK_MESSAGE(f.prediction->note.find("build failed (exit 2)") != std::string::npos,
                  f.prediction->note);
  }
  SUBCASE("RENAME=1 on make's command line: nothing predicted, nothing found") {
    const MergedRun r = RunMerged(tree, make + " modules RENAME=1");
    CHECK(r.status == 0);
    CHECK_MESSAGE(r.log.find("predicted") == std::string::npos, r.log);
    CHECK(r.report.findings.empty());
  }
  RemoveTree(tree);
}

TEST_CASE("nothing above the build: a marker on the caller's command line reaches no report") {
  if (geteuid() != 0) {
    MESSAGE("skipped: fanotify (which names processes) needs root");
    return;
  }
  SetUpCliTestEnvironment();
  const std::string tree = CopyExample("rothwell-2019");
  const std::string base = tree.substr(0, tree.rfind('/'));
  const std::string marker = "MODRACE_LEAK_MARKER_" + std::to_string(getpid());
  // A CI step: a script whose own command line carries the marker runs
  // modrace run (not exec: it stays the build's grandparent).
  const std::string script = base + "/ci-step.sh";
  {
    FILE* f = fopen(script.c_str(), "w");
    REQUIRE(f != nullptr);
    fputs("#!/bin/sh\n# $1 is the marker: it only sits on this script's command line.\n"
          "\"$2\" run --tree \"$3\" --backend fanotify --format json --report \"$4/report.json\""
          " --record \"$4/events.jsonl\" --output \"$4/out.json\" -- make -s -C \"$3\" -j2\n"
          "echo \"modrace run: $?\" >\"$4/status\"\n",
          f);
    fclose(f);
  }
  REQUIRE(system(("make -s -C " + ShellQuote(tree) + " clean").c_str()) == 0);
  REQUIRE(system(("sh " + ShellQuote(script) + " " + marker + " " +
                  ShellQuote(RealPath("client/modrace")) + " " + ShellQuote(tree) + " " +
                  ShellQuote(base) + " </dev/null >/dev/null 2>&1")
                     .c_str()) == 0);
  MESSAGE(Slurp(base + "/status"));
  for (const std::string name : {"report.json", "events.jsonl", "out.json"}) {
    const std::string text = Slurp(base + "/" + name);
    CAPTURE(name);
    CHECK_FALSE(text.empty());
    CHECK(text.find(marker) == std::string::npos);
    CHECK(text.find("ci-step.sh") == std::string::npos);
  }
  // The build's own processes are still named: both asix recipes.
  std::set<int32_t> recipes;
  for (const FsEvent& e : ReadRecording(base + "/events.jsonl")) {
    if (e.process && e.path == ".tmp_versions/asix.mod" &&
        e.process->cmdline.find("asix.mod") != std::string::npos) {
      recipes.insert(e.process->pid);
    }
  }
  CHECK(recipes.size() >= 2);
  RemoveTree(tree);
}

}  // namespace modrace

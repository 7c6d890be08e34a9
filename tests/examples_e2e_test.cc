// The examples under `modrace run`, end to end: real make, real kbuild
// (linux-headers-amd64, which scripts/setup installs), the real binaries.
// Each example gives its expected findings; its clean variant gives none.

#include <dirent.h>
#include <glob.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "client/cli_testing.h"
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
    int make_failed = 0, flagged = 0, concurrent = 0, torn = 0, named_recipes = 0;
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
                              << ", torn files " << torn);
    CHECK(flagged == kRuns);
    // The clean variant: the 2019 fix (the PHY driver renamed).
    REQUIRE(system(("make -s -C " + ShellQuote(tree) + " clean").c_str()) == 0);
    const RunResult clean =
        RunUnderModrace(tree, "make -s -C " + ShellQuote(tree) + " -j2 RENAME=1", backend);
    CHECK(clean.status == 0);
    CHECK_MESSAGE(clean.report.findings.empty(), nlohmann::json(clean.report).dump());
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
    // The order: found from the second foo.mod, before the top modules.order
    // (which modules_check reads) was written.
    REQUIRE_FALSE(clashes[0]->evidence.empty());
    const std::string source = clashes[0]->evidence[0].path;
    CHECK_MESSAGE(source.size() > 4, source);
    CHECK(source.substr(source.size() - 4) == ".mod");
    uint64_t order_seq = 0;
    for (const std::string& line : {Slurp(tree + "/../events.jsonl")}) {
      size_t start = 0;
      while (start < line.size()) {
        size_t end = line.find('\n', start);
        if (end == std::string::npos) end = line.size();
        FsEvent e;
        std::string error;
        // fanotify's names_only events only name writers: the analyzer reads
        // the list at inotify's close_write of it.
        if (ParseEventLine(line.substr(start, end - start), &e, &error) && !e.names_only &&
            e.kind == EventKind::kCloseWrite && e.path == "modules.order" && order_seq == 0) {
          order_seq = e.seq;
        }
        start = end + 1;
      }
    }
    MESSAGE("kbuild-duplicate (" << backend << "): clash found at seq " << clashes[0]->first_seq
                                                    << ", top modules.order written at seq "
                                                    << order_seq);
    CHECK(order_seq > 0);
    CHECK(clashes[0]->first_seq < order_seq);
    // The clean variant.
    system((make + " clean >/dev/null 2>&1").c_str());
    const RunResult clean = RunUnderModrace(tree, make + " modules RENAME=1", backend);
    CHECK(clean.status == 0);
    CHECK_MESSAGE(clean.report.findings.empty(), nlohmann::json(clean.report).dump());
    RemoveTree(tree);
  }
}

TEST_CASE("kbuild-twice on real 6.1 kbuild: one path built twice, not a clash") {
  for (const std::string& backend : Backends()) {
    CAPTURE(backend);
    SetUpCliTestEnvironment();
    const std::string kdir = KernelBuildDir();
    REQUIRE_MESSAGE(!kdir.empty(), "linux-headers-amd64 is missing: run scripts/setup as root");
    const std::string tree = CopyExample("kbuild-twice");
    const std::string make = "make -s -C " + ShellQuote(kdir) + " M=" + ShellQuote(tree) + " -j2";
    const RunResult r = RunUnderModrace(tree, make + " modules", backend);
    CHECK(Of(r.report, FindingKind::kModuleNameCollision).empty());
    // Listed twice in modules.order when the build got that far; written by
    // two jobs at once in any case.
    const bool duplicate = !Of(r.report, FindingKind::kDuplicateModulePath).empty();
    const bool concurrent = !Of(r.report, FindingKind::kConcurrentWriters).empty();
    MESSAGE("kbuild-twice (" << backend << "): make status " << r.status << ", duplicate_module_path " << duplicate
                                         << ", concurrent_writers " << concurrent);
    if (r.status == 0) {
      // The build got through: modules.order lists sub/x.ko twice.
      CHECK(duplicate);
    } else if (!duplicate && !concurrent) {
      // The race broke the build before modules.order (fixdep lost .x.o.d:
      // one job deleted what the other wrote, often without two write
      // handles open at once, or with the proof merged away by the kernel).
      // Said plainly, not passed off as found.
      MESSAGE("kbuild-twice (" << backend << "): the build failed from the race, but no "
                                              "overlapping write was seen");
    }
    for (const Finding* f : Of(r.report, FindingKind::kDuplicateModulePath)) {
      CHECK(f->paths == std::vector<std::string>{"sub/x"});
    }
    system((make + " clean >/dev/null 2>&1").c_str());
    const RunResult clean = RunUnderModrace(tree, make + " modules ONCE=1", backend);
    CHECK(clean.status == 0);
    CHECK_MESSAGE(clean.report.findings.empty(), nlohmann::json(clean.report).dump());
    RemoveTree(tree);
  }
}

}  // namespace modrace

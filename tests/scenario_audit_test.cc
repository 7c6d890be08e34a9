// SPDX-License-Identifier: GPL-2.0-only
// One engine, two ways (docs/architecture.md, Rules): each scenario of
// tests/scenarios is fed to the Analyzer live, and the tree it leaves on
// disk is written to a temp dir and audited (`modrace audit`'s RunAudit).
// The findings a finished tree can show (module_name_collision,
// duplicate_module_path, torn_file, clobbered_file) must be the same both
// ways: kind, module, paths and words. Findings that need the timing of
// writes (concurrent_writers, write_hazard, stale_read) are not compared;
// the scenarios whose other findings a finished tree cannot show say why
// below.

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "analyzer/analyzer.h"
#include "analyzer/replay.h"
#include "client/audit.h"
#include "common/test_tree.h"
#include "proto/fs_event.h"

namespace modrace {

namespace {

const char kDir[] = "tests/scenarios";

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The files a recording leaves behind, with the last content read of each
// (a file never read is left empty: only its name matters, a .ko). After
// an overflow, what the rescan lists.
std::map<std::string, std::string> FinalTree(const std::string& recording) {
  std::map<std::string, std::string> files;
  EventLineReader reader;
  std::istringstream lines(recording);
  std::string line;
  while (std::getline(lines, line)) {
    FsEvent e;
    std::string error;
    if (line.empty()) continue;
    REQUIRE_MESSAGE(reader.Parse(line, &e, &error), error);
    if (e.names_only || e.is_dir) {
      if (e.is_dir && (e.kind == EventKind::kDelete || e.kind == EventKind::kMovedFrom)) {
        const std::string prefix = e.path + "/";
        for (auto it = files.lower_bound(prefix);
             it != files.end() && it->first.compare(0, prefix.size(), prefix) == 0;) {
          it = files.erase(it);
        }
      }
      continue;
    }
    switch (e.kind) {
      case EventKind::kOverflow:
        // Deletions may have been lost; the rescan that follows lists
        // everything still on disk (kExisting).
        files.clear();
        break;
      case EventKind::kCreate:
      case EventKind::kCloseWrite:
      case EventKind::kMovedTo:
      case EventKind::kExisting:
        if (e.content) {
          files[e.path] = *e.content;
        } else {
          files.emplace(e.path, std::string());
        }
        break;
      case EventKind::kDelete:
      case EventKind::kMovedFrom:
        files.erase(e.path);
        break;
      default:
        break;
    }
  }
  return files;
}

bool FinalTreeKind(FindingKind k) {
  return k == FindingKind::kModuleNameCollision || k == FindingKind::kDuplicateModulePath ||
         k == FindingKind::kTornFile || k == FindingKind::kClobberedFile;
}

// kind, module, sorted paths and message: what must agree.
std::set<std::string> Comparable(const std::vector<Finding>& findings) {
  std::set<std::string> out;
  for (const Finding& f : findings) {
    if (!FinalTreeKind(f.kind)) continue;
    std::vector<std::string> paths = f.paths;
    std::sort(paths.begin(), paths.end());
    std::string s = std::string(FindingKindName(f.kind)) + " | " + f.module.value_or("-") + " |";
    for (const auto& p : paths) s += " " + p;
    out.insert(s + " | " + f.message);
  }
  return out;
}

std::string Lines(const std::set<std::string>& s) {
  std::string out;
  for (const auto& l : s) out += "\n  " + l;
  return out;
}

struct BothWays {
  std::set<std::string> live;
  std::set<std::string> audit;
};

BothWays Run(const std::string& name) {
  const std::string recording = ReadText(std::string(kDir) + "/" + name + ".jsonl");
  Analyzer analyzer;
  const ReplayResult r = ReplayEvents(recording, &analyzer);
  REQUIRE_MESSAGE(r.ok, r.error);
  TestTree tree;
  for (const auto& [path, content] : FinalTree(recording)) tree.Write(path, content);
  AuditOptions o;
  o.tree = tree.root();
  const AuditResult a = RunAudit(o);
  REQUIRE_MESSAGE(a.ok, a.error);
  return {Comparable(analyzer.findings()), Comparable(a.report.findings)};
}

void Same(const std::string& name) {
  const BothWays b = Run(name);
  CHECK_MESSAGE(b.live == b.audit, "live:" << Lines(b.live) << "\naudit:" << Lines(b.audit));
}

// The live findings a final tree cannot show, each named by "kind | module
// | sorted paths": they must be there live, and the audit must give all the
// others and nothing more.
void LiveOnly(const std::string& name, const std::set<std::string>& live_only) {
  BothWays b = Run(name);
  for (const std::string& key : live_only) {
    bool found = false;
    for (auto it = b.live.begin(); it != b.live.end();) {
      if (it->compare(0, key.size() + 3, key + " | ") == 0) {
        found = true;
        it = b.live.erase(it);
      } else {
        ++it;
      }
    }
    CHECK_MESSAGE(found, "no live finding " << key);
  }
  CHECK_MESSAGE(b.live == b.audit, "live:" << Lines(b.live) << "\naudit:" << Lines(b.audit));
}

}  // namespace

#define SAME_BOTH_WAYS(name) \
  TEST_CASE("both ways: " #name) { Same(#name); }

SAME_BOTH_WAYS(kbuild61_same_name_two_dirs)
SAME_BOTH_WAYS(kbuild61_subdir_listed_twice)
SAME_BOTH_WAYS(reader_beside_writer)
SAME_BOTH_WAYS(merged_open_two_writers)
SAME_BOTH_WAYS(overflow_mid_build)
SAME_BOTH_WAYS(clean_build_50_modules)
SAME_BOTH_WAYS(dash_underscore_same_name)
SAME_BOTH_WAYS(reader_spans_writer_close)
SAME_BOTH_WAYS(overflow_forgets_lost_state)
SAME_BOTH_WAYS(torn_record_line1_not_a_claim)
SAME_BOTH_WAYS(cut_line_read_mid_rewrite)
SAME_BOTH_WAYS(hybrid_both_prove_one_finding)
SAME_BOTH_WAYS(hybrid_names_only_never_alone)
SAME_BOTH_WAYS(hybrid_two_makes_same_recipe)
SAME_BOTH_WAYS(rothwell_from_parent_clean)
SAME_BOTH_WAYS(rothwell_from_parent_asix)
SAME_BOTH_WAYS(kbuild61_intree_from_parent_clean)
SAME_BOTH_WAYS(kbuild61_same_name_from_parent)
SAME_BOTH_WAYS(kbuild61_twice_write_hazard)
SAME_BOTH_WAYS(kbuild61_clean_jobs_no_hazard)

// These recordings hold one old `.tmp_versions/asix.mod` rewritten from one
// asix module to the other and no .ko or .mod of either: the finished tree
// keeps only the last record, so the clash and the clobber were visible
// only while it was written. (A whole old-kbuild tree keeps both .ko files
// and shows both findings: client/audit_test.cc audits such a tree.) A torn
// last record stays, and is compared.
const std::set<std::string> kRewrittenRecord = {
    "module_name_collision | asix | drivers/net/phy/asix drivers/net/usb/asix",
    "clobbered_file | asix | .tmp_versions/asix.mod"};

TEST_CASE("both ways: rothwell_asix_tmp_versions") {
  LiveOnly("rothwell_asix_tmp_versions", kRewrittenRecord);
}
TEST_CASE("both ways: sequential_tmp_versions_clobber") {
  LiveOnly("sequential_tmp_versions_clobber", kRewrittenRecord);
}
TEST_CASE("both ways: fanotify_asix_named_writers") {
  LiveOnly("fanotify_asix_named_writers", kRewrittenRecord);
}
TEST_CASE("both ways: hybrid_merged_names_after_overlap") {
  LiveOnly("hybrid_merged_names_after_overlap", kRewrittenRecord);
}
TEST_CASE("both ways: hybrid_merged_names_before_overlap") {
  LiveOnly("hybrid_merged_names_before_overlap", kRewrittenRecord);
}

// A module's own sub/x.mod written by two overlapping writers means it is
// built twice (analyzer/concurrent_writers_rule.cc): that needs the timing of
// the writes; the finished tree holds one sub/x.mod and no modules.order.
const std::set<std::string> kOverlapOnly = {"duplicate_module_path | x | sub/x"};

TEST_CASE("both ways: fanotify_same_bytes_twice") {
  LiveOnly("fanotify_same_bytes_twice", kOverlapOnly);
}
TEST_CASE("both ways: fanotify_different_bytes_twice") {
  LiveOnly("fanotify_different_bytes_twice", kOverlapOnly);
}

TEST_CASE("every scenario is compared both ways") {
  // Counted by hand: 20 SAME_BOTH_WAYS cases and 7 with live-only findings.
  size_t scenarios = 0;
  DIR* dir = opendir(kDir);
  REQUIRE(dir != nullptr);
  while (dirent* d = readdir(dir)) {
    const std::string n = d->d_name;
    scenarios += n.size() > 6 && n.compare(n.size() - 6, 6, ".jsonl") == 0;
  }
  closedir(dir);
  CHECK(scenarios == 27);
}

}  // namespace modrace

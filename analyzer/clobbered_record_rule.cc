// SPDX-License-Identifier: GPL-2.0-only
// clobbered_file (docs/architecture.md, Rules): old kbuild (before 5.3)
// keeps one record per module NAME in `.tmp_versions/NAME.mod`, so two
// modules of one name share a file and all but the last record is lost.
// Live events show the rewrite (one module's record, then another's); a
// scan of a built tree (kExisting) shows the shared file beside a name
// clash. Either way the finding and its words are the same.

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/artifact_path.h"
#include "analyzer/mod_record.h"
#include "analyzer/module_name_collision.h"
#include "analyzer/rule.h"
#include "analyzer/torn_file.h"

namespace modrace {

namespace {

class ClobberedRecordRule : public Rule {
 public:
  Wants wants() const override {
    Wants w;
    w.artifacts = Bit(ArtifactKind::kOldModRecord);
    w.name_clashes = true;
    return w;
  }

  void OnEvent(EventView& v, RuleContext& ctx) override {
    const FsEvent& e = v.event;
    if (e.kind == EventKind::kDelete || e.kind == EventKind::kMovedFrom) {
      old_records_.erase(e.path);
      record_files_[ModuleIndex::CanonicalName(e.path)].erase(e.path);
      return;
    }
    if (v.has_content()) OnOldRecord(e, ctx);
  }

  void OnNameClash(const std::string& name, const FsEvent& e, RuleContext& ctx) override {
    CheckSharedRecord(name, e, ctx);
  }

  // The rescan lists the records on disk again; the last content of each
  // stays: a clobber across the lost window is still a clobber.
  void OnOverflow(RuleContext& /*ctx*/) override { record_files_.clear(); }

  void Reset() override {
    old_records_.clear();
    record_files_.clear();
  }

 private:
  void OnOldRecord(const FsEvent& e, RuleContext& ctx);
  void CheckSharedRecord(const std::string& name, const FsEvent& e, RuleContext& ctx);
  // The clobber of `record`'s finding, made or grown at e: the same words
  // whether a rewrite or a scan showed it.
  Finding& UpsertClobber(const std::string& record, const FsEvent& e, RuleContext& ctx);

  // Last module each .tmp_versions file recorded, to see a clobber.
  struct OldRecordSeen {
    std::string module_path;
    std::string content;
    uint64_t seq = 0;
  };
  std::unordered_map<std::string, OldRecordSeen> old_records_;
  // Old `.tmp_versions/NAME.mod` records on disk, by canonical NAME: one
  // such file for several modules of one name is a clobber even unseen.
  std::unordered_map<std::string, std::set<std::string>> record_files_;
};

Finding& ClobberedRecordRule::UpsertClobber(const std::string& record, const FsEvent& e,
                                            RuleContext& ctx) {
  bool created;
  Finding& f = ctx.book.Upsert(FindingKind::kClobberedFile, record, e.seq, e.time_ns, &created);
  f.severity = Severity::kError;
  f.confidence = Confidence::kCertain;
  f.module = std::string(ModuleNameOf(record));
  FindingBook::AddPath(f, record);
  std::vector<std::string> paths = ctx.index.PathsOf(ModuleIndex::CanonicalName(record));
  std::sort(paths.begin(), paths.end());
  f.message = record + " holds the record of one module, but " + std::to_string(paths.size()) +
              " modules are named " + *f.module + " (" + JoinPaths(paths, ".ko") +
              "): old kbuild rewrites it per module, so modpost misses all but one";
  ctx.links.Link(f, record);
  return f;
}

void ClobberedRecordRule::OnOldRecord(const FsEvent& e, RuleContext& ctx) {
  const std::string file_name(ModuleNameOf(e.path));
  const std::string name = ModuleIndex::CanonicalName(file_name);
  record_files_[name].insert(e.path);
  const OldModRecord r = ParseOldModRecord(*e.content, file_name);
  if (r.problems.Torn()) ReportTorn(ctx, e, r.problems);
  const std::string module_path = NormalizeModulePath(r.ko_path, ctx.root, OldRecordAnchor(e.path));
  // Only a line 1 that names this file's module is a claim; anything else is
  // torn content, reported above.
  if (module_path.empty() || ModuleIndex::CanonicalName(module_path) != name) {
    CheckSharedRecord(name, e, ctx);
    return;
  }
  const OldRecordSeen last = old_records_[e.path];
  old_records_[e.path] = OldRecordSeen{module_path, *e.content, e.seq};
  ctx.index.Claim(module_path, e.path);
  if (!last.module_path.empty() && last.module_path != module_path) {
    Finding& f = UpsertClobber(e.path, e, ctx);
    FindingBook::AddEvidence(
        f, Evidence{last.seq, e.path, "earlier content recorded " + last.module_path + ".ko",
                    EvidenceExcerpt(last.content)});
    FindingBook::AddEvidence(f,
                             Evidence{e.seq, e.path, "rewritten to record " + module_path + ".ko",
                                      EvidenceExcerpt(*e.content)});
    ctx.book.Touch(f, e.seq);
  }
  CheckCollision(ctx, name, e, e.path);  // also checks the shared record
  CheckSharedRecord(name, e, ctx);
}

void ClobberedRecordRule::CheckSharedRecord(const std::string& name, const FsEvent& e,
                                            RuleContext& ctx) {
  auto it = record_files_.find(name);
  if (it == record_files_.end() || it->second.empty()) return;
  const size_t modules = ctx.index.PathsOf(name).size();
  if (modules < 2) return;
  for (const std::string& record : it->second) {
    Finding* existing = ctx.book.Find(FindingKind::kClobberedFile, record);
    const std::string before = existing ? existing->message : std::string();
    Finding& f = UpsertClobber(record, e, ctx);
    const std::string what =
        std::to_string(modules) + " modules named " + name + " share this one record";
    bool known = false;
    for (const auto& ev : f.evidence) known = known || ev.what == what;
    if (!known) FindingBook::AddEvidence(f, Evidence{e.seq, record, what, std::nullopt});
    if (!known || f.message != before) ctx.book.Touch(f, e.seq);
  }
}

}  // namespace

std::unique_ptr<Rule> MakeClobberedRecordRule() { return std::make_unique<ClobberedRecordRule>(); }

}  // namespace modrace

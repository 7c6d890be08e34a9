// SPDX-License-Identifier: GPL-2.0-only
// clobbered_file (docs/architecture.md, Rules): old kbuild (before 5.3)
// keeps one record per module NAME in `.tmp_versions/NAME.mod`, so two
// modules of one name share a file and all but the last record is lost.
// Live events show the rewrite (one module's record, then another's); a
// scan of a built tree (kExisting) shows the shared file beside a name
// clash. Either way the finding and its words are the same.

#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/analyzer_state.h"
#include "analyzer/artifact_path.h"
#include "analyzer/mod_record.h"

namespace modrace {

Finding& Analyzer::State::UpsertClobber(const std::string& record, const FsEvent& e) {
  bool created;
  Finding& f = book.Upsert(FindingKind::kClobberedFile, record, e.seq, e.time_ns, &created);
  f.severity = Severity::kError;
  f.confidence = Confidence::kCertain;
  f.module = std::string(ModuleNameOf(record));
  FindingBook::AddPath(f, record);
  std::vector<std::string> paths = index.PathsOf(ModuleIndex::CanonicalName(record));
  std::sort(paths.begin(), paths.end());
  f.message = record + " holds the record of one module, but " + std::to_string(paths.size()) +
              " modules are named " + *f.module + " (" + JoinPaths(paths, ".ko") +
              "): old kbuild rewrites it per module, so modpost misses all but one";
  LinkJobs(f, record);
  return f;
}

void Analyzer::State::OnOldRecord(const FsEvent& e) {
  const std::string file_name(ModuleNameOf(e.path));
  const std::string name = ModuleIndex::CanonicalName(file_name);
  record_files[name].insert(e.path);
  const OldModRecord r = ParseOldModRecord(*e.content, file_name);
  if (r.problems.Torn()) ReportTorn(e, r.problems);
  const std::string module_path = NormalizeModulePath(r.ko_path, root, OldRecordAnchor(e.path));
  // Only a line 1 that names this file's module is a claim; anything else is
  // torn content, reported above.
  if (module_path.empty() || ModuleIndex::CanonicalName(module_path) != name) {
    CheckSharedRecord(name, e);
    return;
  }
  const OldRecordSeen last = old_records[e.path];
  old_records[e.path] = OldRecordSeen{module_path, *e.content, e.seq};
  index.Claim(module_path, e.path);
  if (!last.module_path.empty() && last.module_path != module_path) {
    Finding& f = UpsertClobber(e.path, e);
    FindingBook::AddEvidence(f, Evidence{last.seq, e.path,
                                         "earlier content recorded " + last.module_path + ".ko",
                                         EvidenceExcerpt(last.content)});
    FindingBook::AddEvidence(f, Evidence{e.seq, e.path,
                                         "rewritten to record " + module_path + ".ko",
                                         EvidenceExcerpt(*e.content)});
    book.Touch(f, e.seq);
  }
  CheckCollision(name, e, e.path);  // also checks the shared record
  CheckSharedRecord(name, e);
}

void Analyzer::State::CheckSharedRecord(const std::string& name, const FsEvent& e) {
  auto it = record_files.find(name);
  if (it == record_files.end() || it->second.empty()) return;
  const size_t modules = index.PathsOf(name).size();
  if (modules < 2) return;
  for (const std::string& record : it->second) {
    Finding* existing = book.Find(FindingKind::kClobberedFile, record);
    const std::string before = existing ? existing->message : std::string();
    Finding& f = UpsertClobber(record, e);
    const std::string what = std::to_string(modules) + " modules named " + name +
                             " share this one record";
    bool known = false;
    for (const auto& ev : f.evidence) known = known || ev.what == what;
    if (!known) FindingBook::AddEvidence(f, Evidence{e.seq, record, what, std::nullopt});
    if (!known || f.message != before) book.Touch(f, e.seq);
  }
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/torn_file.h"

#include <string>

namespace modrace {

void ReportTorn(RuleContext& ctx, const FsEvent& e, const ContentProblems& problems) {
  bool created;
  Finding& f = ctx.book.Upsert(FindingKind::kTornFile, e.path, e.seq, e.time_ns, &created);
  f.severity = Severity::kError;
  f.confidence = Confidence::kCertain;
  FindingBook::AddPath(f, e.path);
  std::string notes;
  for (const auto& n : problems.notes) {
    if (!notes.empty()) notes += "; ";
    notes += n;
  }
  FindingBook::AddEvidence(f, Evidence{e.seq, e.path, notes, EvidenceExcerpt(*e.content)});
  f.message = e.path + " holds what only interleaved writers produce: " + notes;
  ctx.links.Link(f, e.path);
  ctx.book.Touch(f, e.seq);
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/module_name_collision.h"

#include <algorithm>
#include <optional>

#include "analyzer/artifact_path.h"

namespace modrace {

std::string JoinPaths(const std::vector<std::string>& paths, std::string_view suffix) {
  std::string out;
  for (const auto& p : paths) {
    if (!out.empty()) out += ", ";
    out += p;
    out += suffix;
  }
  return out;
}

void CheckCollision(RuleContext& ctx, const std::string& name, const FsEvent& e,
                    const std::string& source) {
  const std::vector<std::string> paths = ctx.index.PathsOf(name);
  if (paths.size() < 2) return;
  bool created;
  Finding& f = ctx.book.Upsert(FindingKind::kModuleNameCollision, name, e.seq, e.time_ns, &created);
  bool grew = created;
  for (const auto& p : paths) grew = FindingBook::AddPath(f, p) || grew;
  if (!grew) return;
  f.severity = Severity::kError;
  f.confidence = Confidence::kCertain;
  f.module = name;
  std::string what =
      source + " makes " + std::to_string(paths.size()) + " module paths named " + name;
  std::optional<std::string> content;
  if (e.content && ClassifyArtifact(source) != ArtifactKind::kModulesOrder) {
    content = EvidenceExcerpt(*e.content);
  }
  FindingBook::AddEvidence(f, Evidence{e.seq, source, std::move(what), std::move(content)});
  bool mixed_dash = false;
  for (const auto& p : f.paths) mixed_dash = mixed_dash || std::string(ModuleNameOf(p)) != name;
  std::vector<std::string> sorted = f.paths;  // the same words whatever the order seen
  std::sort(sorted.begin(), sorted.end());
  f.message = std::to_string(f.paths.size()) + " modules are named " + name + ": " +
              JoinPaths(sorted, ".ko") +
              (mixed_dash ? " ('-' and '_' are the same in module names)" : "") +
              "; rename one of them";
  if (ClassifyArtifact(source) != ArtifactKind::kModulesOrder) ctx.links.Link(f, source);
  // The jobs that wrote each module's record and object, whichever source
  // completed the clash.
  ctx.links.Link(f, ".tmp_versions/" + name + ".mod");
  for (const auto& p : f.paths) {
    for (const char* suffix : {".mod", ".ko", ".o"}) ctx.links.Link(f, p + suffix);
  }
  ctx.book.Touch(f, e.seq);
  NotifyNameClash(ctx, name, e);  // clobbered_record_rule.cc
}

}  // namespace modrace

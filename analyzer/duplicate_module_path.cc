// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/duplicate_module_path.h"

#include <optional>

#include "analyzer/artifact_path.h"

namespace modrace {

void ReportDuplicate(RuleContext& ctx, const std::string& module_path, const FsEvent& e,
                     Confidence confidence, const std::string& what) {
  if (module_path.empty()) return;
  bool created;
  Finding& f =
      ctx.book.Upsert(FindingKind::kDuplicateModulePath, module_path, e.seq, e.time_ns, &created);
  if (created || confidence == Confidence::kCertain) f.confidence = confidence;
  f.severity = Severity::kWarning;
  f.module = std::string(ModuleNameOf(module_path));
  FindingBook::AddPath(f, module_path);
  if (ClassifyArtifact(e.path) != ArtifactKind::kModulesOrder) ctx.links.Link(f, e.path);
  for (const auto& ev : f.evidence) {
    if (ev.what == what) return;  // the same fact again adds nothing
  }
  FindingBook::AddEvidence(f, Evidence{e.seq, e.path, what, std::nullopt});
  f.message = module_path + ".ko is built twice (one module path reached two ways, e.g. " +
              "`obj-m += sub/ sub/x.o`); list it once";
  ctx.book.Touch(f, e.seq);
}

}  // namespace modrace

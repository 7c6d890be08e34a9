// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/predicted_findings.h"

#include "analyzer/artifact_path.h"
#include "analyzer/module_index.h"

namespace modrace {

namespace {

constexpr size_t kMaxListedGaps = 10;

Finding& Add(std::vector<Finding>* out, FindingKind kind, Severity severity,
             Confidence confidence) {
  Finding f;
  f.kind = kind;
  f.severity = severity;
  f.confidence = confidence;
  f.revision = 1;
  out->push_back(std::move(f));
  return out->back();
}

void AddClash(const std::string& name, const std::vector<const PredictedModule*>& modules,
              bool latent, std::vector<Finding>* out) {
  // A latent clash every config that reaches it builds is an error.
  bool every_config = true;
  for (const PredictedModule* m : modules) every_config = every_config && m->certain;
  Finding& f = Add(out, FindingKind::kModuleNameCollision,
                   latent && !every_config ? Severity::kWarning : Severity::kError,
                   Confidence::kLikely);
  f.module = name;
  for (const PredictedModule* m : modules) {
    f.paths.push_back(m->path);
    f.evidence.push_back(m->evidence);
  }
  const std::string n = std::to_string(modules.size());
  f.message = latent ? n + " modules named " + name +
                           " can be configured as modules; a config building both fails "
                           "modules-check"
                     : "this config builds " + n + " modules named " + name +
                           "; modules-check will fail";
}

void AddGap(const SourcePrediction& p, std::vector<Finding>* out) {
  if (p.missing_dirs.empty() && p.problems.empty()) return;
  Finding& f = Add(out, FindingKind::kCoverageGap, Severity::kInfo, Confidence::kCertain);
  if (!p.missing_dirs.empty()) f.gap_causes.push_back(GapCause::kMissingDirs);
  if (p.no_arch) f.gap_causes.push_back(GapCause::kNoArch);
  if (p.problems.size() > (p.no_arch ? 1u : 0u)) f.gap_causes.push_back(GapCause::kUnevaluated);
  for (size_t i = 0; i < p.missing_dirs.size() && i < kMaxListedGaps; ++i) {
    f.paths.push_back(p.missing_dirs[i]);
  }
  for (size_t i = 0; i < p.problems.size() && i < kMaxListedGaps; ++i) {
    f.evidence.push_back({0, "", p.problems[i], std::nullopt});
  }
  f.message = std::to_string(p.missing_dirs.size()) +
              " directories named by obj-* lines have no Kbuild or Makefile, " +
              std::to_string(p.problems.size()) + " constructs were not evaluated";
}

}  // namespace

void AddPredictedFindings(const SourcePrediction& prediction, bool latent,
                          const std::set<std::string>& built_paths,
                          const std::set<std::string>& built_duplicates,
                          std::vector<Finding>* out) {
  std::map<std::string, std::vector<const PredictedModule*>> by_name;
  for (const PredictedModule& m : prediction.modules) {
    by_name[ModuleIndex::CanonicalName(m.path)].push_back(&m);
  }
  for (const auto& [name, modules] : by_name) {
    if (modules.size() < 2) continue;
    bool already_built = true;  // the built artifacts show it, with certainty
    for (const PredictedModule* m : modules) {
      already_built = already_built && built_paths.count(m->path) > 0;
    }
    if (!already_built) AddClash(name, modules, latent, out);
  }
  for (const auto& [path, sightings] : prediction.reached_twice) {
    if (built_duplicates.count(path)) continue;  // modules.order shows it
    Finding& f = Add(out, FindingKind::kDuplicateModulePath, Severity::kWarning,
                     Confidence::kLikely);
    f.module = std::string(ModuleNameOf(path));
    f.paths = {path};
    for (const auto& s : sightings) f.evidence.push_back(s.evidence);
    f.message = path + ".ko is reached from " + std::to_string(sightings.size()) +
                " Makefiles: two recursive makes build it at the same time";
  }
  AddGap(prediction, out);
}

void AddShadowFindings(const std::vector<std::string>& tree_modules,
                       const std::multimap<std::string, std::string>& installed,
                       std::vector<Finding>* out) {
  std::set<std::string> done;
  for (const std::string& path : tree_modules) {
    const std::string name(ModuleNameOf(path));
    auto [lo, hi] = installed.equal_range(ModuleIndex::CanonicalName(path));
    if (lo == hi || !done.insert(path).second) continue;
    Finding& f = Add(out, FindingKind::kModuleNameCollision, Severity::kWarning,
                     Confidence::kCertain);
    f.module = name;
    f.paths = {path};
    for (auto it = lo; it != hi; ++it) {
      f.paths.push_back(it->second);
      f.evidence.push_back({0, it->second, "installed module of the same name", std::nullopt});
    }
    f.message = path + ".ko shadows the installed " + name +
                " module; which one modprobe loads depends on depmod's search order";
  }
}

}  // namespace modrace

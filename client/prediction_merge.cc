// SPDX-License-Identifier: GPL-2.0-only
#include "client/prediction_merge.h"

#include <algorithm>
#include <set>

#include "analyzer/artifact_path.h"
#include "analyzer/module_index.h"

namespace modrace {

namespace {

// "my-mod" and "my_mod" are one module to the kernel and modprobe.
std::string LoadName(std::string_view path_or_name) {
  return ModuleIndex::CanonicalName(path_or_name);
}

// The live clash that confirms `p`: its name, every predicted path.
Finding* Confirming(const Finding& p, std::vector<Finding>* live) {
  for (Finding& f : *live) {
    if (f.kind != FindingKind::kModuleNameCollision || !f.module ||
        LoadName(*f.module) != LoadName(*p.module)) {
      continue;
    }
    const bool all = std::all_of(p.paths.begin(), p.paths.end(), [&](const std::string& path) {
      return std::find(f.paths.begin(), f.paths.end(), path) != f.paths.end();
    });
    if (all) return &f;
  }
  return nullptr;
}

}  // namespace

std::vector<Finding> PredictClashes(const std::vector<std::string>& modules,
                                    const ModuleSources& sources, const std::string& config) {
  std::map<std::string, std::vector<std::string>> by_name;
  for (const std::string& ko : modules) {
    std::string path = ko.size() > 3 && ko.compare(ko.size() - 3, 3, ".ko") == 0
                           ? ko.substr(0, ko.size() - 3)
                           : ko;
    by_name[LoadName(path)].push_back(std::move(path));
  }
  std::vector<Finding> out;
  for (auto& [name, paths] : by_name) {
    if (paths.size() < 2) continue;
    Finding f;
    f.id = out.size() + 1;
    f.revision = 1;
    f.kind = FindingKind::kModuleNameCollision;
    f.severity = Severity::kError;
    f.confidence = Confidence::kLikely;
    f.module = std::string(ModuleNameOf(paths.front()));
    f.paths = paths;
    for (const std::string& p : paths) {
      auto it = sources.find(p);
      if (it == sources.end()) continue;
      AddSourceLines(it->second, &f.sources);
      for (const SourceLine& s : it->second) {
        f.evidence.push_back({0, s.file, p + ".ko: " + s.file + ":" + std::to_string(s.line) +
                                             ": " + s.text, std::nullopt});
      }
    }
    f.message = config + " builds " + std::to_string(paths.size()) + " modules named " +
                *f.module + "; modules-check will fail (predicted before the build)";
    out.push_back(std::move(f));
  }
  return out;
}

Report MergePredictions(Report live, const std::vector<Finding>& predicted,
                        const ModuleSources& sources, const BuildEnd& build) {
  uint64_t next_id = 0;
  for (const Finding& f : live.findings) next_id = std::max(next_id, f.id);
  AttachSources(sources, &live.findings);
  std::vector<Finding> unconfirmed;
  for (const Finding& p : predicted) {
    if (Finding* f = Confirming(p, &live.findings)) {
      f->prediction = Prediction{
          true, "predicted from the .config before the build; the build wrote every path"};
      continue;
    }
    Finding u = p;
    u.id = ++next_id;
    if (build.succeeded) {
      // Not what the build did: its targets did not reach both, or make read
      // a Makefile differently from the audit.
      u.severity = Severity::kWarning;
      u.prediction = Prediction{
          false, "predicted from the .config; the build succeeded but never wrote every path "
                 "(its targets did not build them all)"};
    } else {
      u.prediction = Prediction{
          false, "predicted from the .config; not confirmed: " + build.description +
                     " before it wrote every path"};
    }
    unconfirmed.push_back(std::move(u));
  }
  for (Finding& u : unconfirmed) live.findings.push_back(std::move(u));
  return live;
}

}  // namespace modrace

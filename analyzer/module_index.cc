// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/module_index.h"

#include <algorithm>

#include "analyzer/artifact_path.h"

namespace modrace {

std::string ModuleIndex::CanonicalName(std::string_view module_path) {
  std::string name(ModuleNameOf(module_path));
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

std::string ModuleIndex::Claim(const std::string& module_path, const std::string& source) {
  std::string name = CanonicalName(module_path);
  auto& claims = by_name_[name];
  auto it = std::find_if(claims.begin(), claims.end(),
                         [&](const PathClaims& c) { return c.path == module_path; });
  if (it == claims.end()) {
    claims.push_back(PathClaims{module_path, {source}});
  } else {
    it->sources.insert(source);
  }
  auto& paths = by_source_[source];
  if (std::find(paths.begin(), paths.end(), module_path) == paths.end()) {
    paths.push_back(module_path);
  }
  return name;
}

void ModuleIndex::Withdraw(const std::string& source, const std::vector<std::string>& paths) {
  for (const auto& path : paths) {
    auto name_it = by_name_.find(CanonicalName(path));
    if (name_it == by_name_.end()) continue;
    auto& claims = name_it->second;
    for (auto it = claims.begin(); it != claims.end(); ++it) {
      if (it->path != path) continue;
      it->sources.erase(source);
      if (it->sources.empty()) claims.erase(it);
      break;
    }
    if (claims.empty()) by_name_.erase(name_it);
  }
}

void ModuleIndex::WithdrawSource(const std::string& source) {
  auto it = by_source_.find(source);
  if (it == by_source_.end()) return;
  Withdraw(source, it->second);
  by_source_.erase(it);
}

void ModuleIndex::WithdrawSourcesUnder(const std::string& dir) {
  const std::string prefix = dir.empty() ? std::string() : dir + "/";
  auto it = by_source_.lower_bound(prefix);
  while (it != by_source_.end() && it->first.compare(0, prefix.size(), prefix) == 0) {
    Withdraw(it->first, it->second);
    it = by_source_.erase(it);
  }
}

void ModuleIndex::Clear() {
  by_name_.clear();
  by_source_.clear();
}

std::vector<std::string> ModuleIndex::PathsOf(const std::string& canonical_name) const {
  std::vector<std::string> out;
  auto it = by_name_.find(canonical_name);
  if (it == by_name_.end()) return out;
  for (const auto& c : it->second) out.push_back(c.path);
  return out;
}

size_t ModuleIndex::module_paths() const {
  size_t n = 0;
  for (const auto& [name, claims] : by_name_) n += claims.size();
  return n;
}

std::vector<std::string> ModuleIndex::AllPaths() const {
  std::vector<std::string> out;
  for (const auto& [name, claims] : by_name_) {
    for (const auto& c : claims) out.push_back(c.path);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace modrace

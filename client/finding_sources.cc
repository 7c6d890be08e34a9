// SPDX-License-Identifier: GPL-2.0-only
#include "client/finding_sources.h"

#include <algorithm>

#include "analyzer/module_index.h"

namespace modrace {

std::string ModulePathOfFile(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view dir = slash == std::string_view::npos ? "" : path.substr(0, slash + 1);
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (!base.empty() && base[0] == '.') base.remove_prefix(1);
  base = base.substr(0, base.find('.'));
  return std::string(dir) + std::string(base);
}

void AddSourceLines(const std::vector<SourceLine>& lines, std::vector<SourceLine>* out) {
  for (const SourceLine& l : lines) {
    const bool seen = std::any_of(out->begin(), out->end(), [&](const SourceLine& o) {
      return o.file == l.file && o.line == l.line;
    });
    if (!seen) out->push_back(l);
  }
}

std::vector<SourceLine> SourcesOf(const Finding& f, const ModuleSources& sources) {
  std::vector<SourceLine> out;
  for (const std::string& p : f.paths) {
    auto it = sources.find(ModulePathOfFile(p));
    if (it != sources.end()) AddSourceLines(it->second, &out);
  }
  if (!out.empty() || !f.module) return out;
  const std::string name = ModuleIndex::CanonicalName(*f.module);
  for (const auto& [path, lines] : sources) {
    if (ModuleIndex::CanonicalName(path) == name) AddSourceLines(lines, &out);
  }
  return out;
}

void AttachSources(const ModuleSources& sources, std::vector<Finding>* findings) {
  for (Finding& f : *findings) {
    if (f.sources.empty()) f.sources = SourcesOf(f, sources);
  }
}

}  // namespace modrace

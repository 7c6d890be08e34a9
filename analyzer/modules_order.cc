// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/modules_order.h"

#include <algorithm>
#include <unordered_set>

#include "analyzer/artifact_path.h"

namespace modrace {

ModulesOrder ParseModulesOrder(std::string_view content, std::string_view root,
                               std::string_view order_path) {
  ModulesOrder r;
  r.problems = CheckTextContent(content);
  const std::vector<std::string_view> lines = SplitLines(content);
  // The lines as spelled (absolute ones stay absolute) show the build's top.
  std::vector<std::string> spelled;
  for (std::string_view line : lines) spelled.push_back(NormalizeModulePath(line, {}));
  const std::string anchor = ModulesOrderAnchor(order_path, spelled);
  std::unordered_set<std::string> seen;
  for (std::string_view line : lines) {
    if (line.empty()) continue;
    std::string path = NormalizeModulePath(line, root, anchor);
    if (path.empty() || path.find('\0') != std::string::npos) {
      if (r.bad_lines.size() < 16) r.bad_lines.emplace_back(line.substr(0, 200));
      continue;
    }
    if (!seen.insert(path).second) {
      if (std::find(r.duplicates.begin(), r.duplicates.end(), path) == r.duplicates.end()) {
        r.duplicates.push_back(path);
      }
      continue;
    }
    r.modules.push_back(std::move(path));
  }
  if (!r.bad_lines.empty()) {
    r.problems.notes.push_back("line naming no module: '" + r.bad_lines.front() + "'");
  }
  return r;
}

}  // namespace modrace

#include "analyzer/modules_order.h"

#include <algorithm>
#include <unordered_set>

#include "analyzer/artifact_path.h"

namespace modrace {

ModulesOrder ParseModulesOrder(std::string_view content, std::string_view root) {
  ModulesOrder r;
  r.problems = CheckTextContent(content);
  std::unordered_set<std::string> seen;
  for (std::string_view line : SplitLines(content)) {
    if (line.empty()) continue;
    std::string path = NormalizeModulePath(line, root);
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

// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/cause_groups.h"

#include <map>

#include "common/plural.h"

namespace modrace {

std::vector<CauseGroup> GroupByCause(const std::vector<Finding>& findings) {
  std::map<uint64_t, std::vector<const Finding*>> members;
  for (const Finding& f : findings) members[f.cause != 0 ? f.cause : f.id].push_back(&f);
  std::vector<CauseGroup> groups;
  std::map<uint64_t, bool> placed;
  for (const Finding& f : findings) {
    const uint64_t cause = f.cause != 0 ? f.cause : f.id;
    const std::vector<const Finding*>& all = members[cause];
    const Finding* headline = all.front();
    for (const Finding* m : all) {
      if (m->id == cause) headline = m;
    }
    // A group takes its place where its headline stands.
    if (&f != headline || placed[cause]) continue;
    placed[cause] = true;
    CauseGroup g;
    g.headline = headline;
    for (const Finding* m : all) {
      if (m != headline) g.others.push_back(m);
    }
    groups.push_back(std::move(g));
  }
  return groups;
}

std::string SameCauseLine(const Finding& f) {
  std::string line(FindingKindName(f.kind));
  if (!f.paths.empty()) line += " " + f.paths.front();
  return line + ": " + f.message;
}

std::string FindingsOfCauses(const std::vector<Finding>& findings) {
  const size_t causes = GroupByCause(findings).size();
  std::string s = Counted(findings.size(), "finding", "findings");
  if (causes < findings.size()) s += " of " + Counted(causes, "cause", "causes");
  return s;
}

}  // namespace modrace

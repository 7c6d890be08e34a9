// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/artifact_path.h"

#include <algorithm>

#include "common/strings.h"

namespace modrace {

namespace {

std::string_view BaseOf(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string_view DirOf(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

ArtifactKind ClassifyArtifact(std::string_view path) {
  const std::string_view base = BaseOf(path);
  if (base == "modules.order") return ArtifactKind::kModulesOrder;
  // "x.mod" needs a name before the suffix; ".mod" alone is not a module.
  if (base.size() > 4 && EndsWith(base, ".mod")) {
    const std::string_view dir = DirOf(path);
    if (dir == ".tmp_versions" || EndsWith(dir, "/.tmp_versions")) {
      return ArtifactKind::kOldModRecord;
    }
    return ArtifactKind::kNewModRecord;
  }
  if (base.size() > 3 && EndsWith(base, ".ko")) return ArtifactKind::kKernelObject;
  return ArtifactKind::kOther;
}

bool WantsContent(std::string_view path) {
  const ArtifactKind kind = ClassifyArtifact(path);
  return kind == ArtifactKind::kOldModRecord || kind == ArtifactKind::kNewModRecord ||
         kind == ArtifactKind::kModulesOrder;
}

std::string_view ModuleNameOf(std::string_view module_path) {
  std::string_view base = BaseOf(module_path);
  for (std::string_view suffix : {".ko", ".mod", ".o"}) {
    if (EndsWith(base, suffix)) {
      base.remove_suffix(suffix.size());
      break;
    }
  }
  return base;
}

namespace {

// `rel` below the directory `anchor`; a leading "../" climbs out of it.
std::string JoinUnder(std::string_view anchor, std::string_view rel) {
  while (StartsWith(rel, "../") && !anchor.empty()) {
    rel.remove_prefix(3);
    anchor = DirOf(anchor);
  }
  if (anchor.empty()) return std::string(rel);
  std::string out(anchor);
  out += '/';
  out += rel;
  return out;
}

}  // namespace

std::string NormalizeModulePath(std::string_view spelled, std::string_view root,
                                std::string_view anchor) {
  std::string_view p = spelled;
  // Trim the blanks a hand-edited or torn line may carry.
  while (!p.empty() && (p.front() == ' ' || p.front() == '\t')) p.remove_prefix(1);
  while (!p.empty() && (p.back() == ' ' || p.back() == '\t' || p.back() == '\r')) {
    p.remove_suffix(1);
  }
  bool known_suffix = false;
  for (std::string_view suffix : {".ko", ".mod", ".o"}) {
    if (EndsWith(p, suffix) && p.size() > suffix.size()) {
      p.remove_suffix(suffix.size());
      known_suffix = true;
      break;
    }
  }
  if (!known_suffix) return std::string();
  // An absolute path under the root is already relative to the root once
  // the root is cut off: the anchor does not apply to it.
  bool under_root = false;
  if (!root.empty() && p.front() == '/') {
    std::string_view r = root;
    while (r.size() > 1 && r.back() == '/') r.remove_suffix(1);
    if (StartsWith(p, r) && p.size() > r.size() && p[r.size()] == '/') {
      p.remove_prefix(r.size() + 1);
      under_root = true;
    }
  }
  while (StartsWith(p, "./")) p.remove_prefix(2);
  // Before v5.x modules.order spelled "kernel/drivers/...".
  if (StartsWith(p, "kernel/")) p.remove_prefix(7);
  if (p.empty() || BaseOf(p).empty()) return std::string();
  if (under_root || p.front() == '/') return std::string(p);
  return JoinUnder(anchor, p);
}

std::string_view OldRecordAnchor(std::string_view record_path) {
  return DirOf(DirOf(record_path));
}

std::string ModulesOrderAnchor(std::string_view order_path,
                               const std::vector<std::string>& listed) {
  const std::string_view dir = DirOf(order_path);
  const bool any_relative = std::any_of(listed.begin(), listed.end(), [](const std::string& p) {
    return !p.empty() && p.front() != '/';
  });
  if (!any_relative) return std::string(dir);
  // Try the whole of `dir` as the run first, then shorter runs of its last
  // components; the empty run always fits.
  for (size_t start = 0; start != std::string_view::npos;) {
    const std::string_view run = dir.substr(start);
    bool fits = !run.empty();
    for (const std::string& p : listed) {
      if (!fits) break;
      if (p.empty() || p.front() == '/') continue;
      fits = p.size() > run.size() && StartsWith(p, run) && p[run.size()] == '/';
    }
    if (fits) return std::string(start == 0 ? std::string_view() : dir.substr(0, start - 1));
    const size_t slash = dir.find('/', start);
    start = slash == std::string_view::npos ? slash : slash + 1;
  }
  return std::string(dir);
}

}  // namespace modrace

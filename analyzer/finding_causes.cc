// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/finding_causes.h"

#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <tuple>

namespace modrace {

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view BaseName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// A module name as the kernel loads it: '-' and '_' are one.
std::string CanonicalName(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

// The module an old-kbuild record `X/.tmp_versions/NAME.mod` is named
// after (docs/kbuild.md, Old kbuild: .tmp_versions); "" for another file.
std::string RecordName(std::string_view path) {
  const std::string_view base = BaseName(path);
  const std::string_view dir = path.substr(0, path.size() - base.size());
  if (!EndsWith(base, ".mod") || base.size() == 4) return "";
  if (dir != ".tmp_versions/" && !EndsWith(dir, "/.tmp_versions/")) return "";
  return CanonicalName(base.substr(0, base.size() - 4));
}

// The keys a finding shares with the others of its cause (finding_causes.h).
std::vector<std::string> KeysOf(const Finding& f) {
  std::vector<std::string> keys;
  if (f.kind == FindingKind::kCoverageGap) return keys;
  if (f.kind == FindingKind::kModuleNameCollision) {
    if (f.module) keys.push_back("name:" + CanonicalName(*f.module));
    return keys;
  }
  for (const std::string& p : f.paths) {
    const std::string name = RecordName(p);
    keys.push_back(name.empty() ? "path:" + TargetStem(p) : "name:" + name);
  }
  std::vector<uint64_t> jobs;
  for (const JobRef& j : f.jobs) jobs.push_back(j.id);
  std::sort(jobs.begin(), jobs.end());
  jobs.erase(std::unique(jobs.begin(), jobs.end()), jobs.end());
  for (size_t a = 0; a < jobs.size(); ++a) {
    for (size_t b = a + 1; b < jobs.size(); ++b) {
      keys.push_back("jobs:" + std::to_string(jobs[a]) + "," + std::to_string(jobs[b]));
    }
  }
  return keys;
}

int KindRank(FindingKind kind) {
  switch (kind) {
    case FindingKind::kDuplicateModulePath:
    case FindingKind::kModuleNameCollision:
      return 0;
    case FindingKind::kWriteHazard:
      return 1;
    case FindingKind::kConcurrentWriters:
      return 2;
    default:
      return 3;
  }
}

// A `.ko` or `.o` first, the files a person names the target by; hidden
// files (`.x.o.cmd`, `.x.o.d`) last.
int PathRank(const Finding& f) {
  if (f.paths.empty()) return 1;
  const std::string_view base = BaseName(f.paths.front());
  if (!base.empty() && base.front() == '.') return 2;
  return EndsWith(base, ".ko") || EndsWith(base, ".o") ? 0 : 1;
}

// Orders the candidates for a headline, the best first.
auto HeadlineKey(const Finding& f) {
  return std::make_tuple(-static_cast<int>(f.severity), KindRank(f.kind), PathRank(f), f.first_seq,
                         f.id);
}

struct UnionFind {
  std::vector<size_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  size_t Find(size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Join(size_t a, size_t b) { parent[Find(a)] = Find(b); }
};

}  // namespace

std::string TargetStem(std::string_view path) {
  static constexpr std::array<std::string_view, 8> kSuffixes = {".cmd", ".d",     ".tmp", ".o",
                                                                ".ko",  ".mod.c", ".mod", ".usyms"};
  const std::string_view base = BaseName(path);
  const std::string_view dir = path.substr(0, path.size() - base.size());
  std::string_view stem = base;
  if (stem.size() > 1 && stem.front() == '.') stem.remove_prefix(1);
  for (bool cut = true; cut;) {
    cut = false;
    for (std::string_view s : kSuffixes) {
      if (stem.size() > s.size() && EndsWith(stem, s)) {
        stem.remove_suffix(s.size());
        cut = true;
        break;
      }
    }
  }
  // Nothing of kbuild's was stripped: the file is its own stem.
  if (stem.size() + 1 >= base.size()) return std::string(path);
  return std::string(dir) + std::string(stem);
}

void AssignCauses(std::vector<Finding>& findings) {
  UnionFind groups(findings.size());
  std::map<std::string, size_t> first_with_key;
  for (size_t i = 0; i < findings.size(); ++i) {
    for (const std::string& key : KeysOf(findings[i])) {
      auto [it, added] = first_with_key.emplace(key, i);
      if (!added) groups.Join(i, it->second);
    }
  }
  std::map<size_t, size_t> headline;  // group root -> index of its headline
  for (size_t i = 0; i < findings.size(); ++i) {
    auto [it, added] = headline.emplace(groups.Find(i), i);
    if (!added && HeadlineKey(findings[i]) < HeadlineKey(findings[it->second])) it->second = i;
  }
  for (size_t i = 0; i < findings.size(); ++i) {
    findings[i].cause = findings[headline[groups.Find(i)]].id;
  }
}

}  // namespace modrace

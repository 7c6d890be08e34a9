// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MODULE_INDEX_H_
#define MODRACE_ANALYZER_MODULE_INDEX_H_

// ModuleIndex: which module paths claim which module name right now.
//
// A claim is (module path, source): the source is the artifact that shows
// the module exists: its own `.ko` or 5.3+ `.mod`, a `modules.order` line,
// or line 1 of an old `.tmp_versions/NAME.mod`. Deleting or rewriting a
// source withdraws its claims, so a module renamed and rebuilt is not a
// clash. Names are compared as the kernel loads them: '-' and '_' alike.

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace modrace {

class ModuleIndex {
 public:
  // Adds a claim. Returns the canonical name ('-' as '_') it was filed under.
  std::string Claim(const std::string& module_path, const std::string& source);
  // Withdraws every claim made by `source`.
  void WithdrawSource(const std::string& source);
  // Withdraws every claim made by a source at or under directory `dir`.
  void WithdrawSourcesUnder(const std::string& dir);
  void Clear();

  // Module paths currently claiming `canonical_name`, in the order first
  // claimed.
  std::vector<std::string> PathsOf(const std::string& canonical_name) const;
  size_t module_paths() const;
  // Every module path claimed now, sorted.
  std::vector<std::string> AllPaths() const;

  static std::string CanonicalName(std::string_view module_path);

 private:
  struct PathClaims {
    std::string path;
    std::set<std::string> sources;
  };
  void Withdraw(const std::string& source, const std::vector<std::string>& paths);

  // canonical name -> module paths with their sources
  std::unordered_map<std::string, std::vector<PathClaims>> by_name_;
  // source -> module paths it claims (ordered, for directory prefixes)
  std::map<std::string, std::vector<std::string>> by_source_;
};

}  // namespace modrace

#endif  // MODRACE_ANALYZER_MODULE_INDEX_H_

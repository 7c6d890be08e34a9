// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MAKE_VARIABLES_H_
#define MODRACE_ANALYZER_MAKE_VARIABLES_H_

// The make evaluator's variables, and the one way to bind some for a while
// and put them back (docs/architecture.md, Make evaluator).

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace modrace::make {

struct Variable {
  std::string value;       // as written when recursive, expanded when simple
  bool recursive = false;  // `=`: expanded at each use
};

using VariableMap = std::unordered_map<std::string, Variable>;

// Binds variables for the length of a scope ($(foreach)'s loop variable,
// $(call)'s $(0) to $(9)) and, when destroyed, gives each name back what it
// held before the scope first touched it: its old definition, or none.
// Scopes nest: an inner one is destroyed first.
class ScopedVariables {
 public:
  explicit ScopedVariables(VariableMap& vars) : vars_(vars) {}
  ~ScopedVariables();
  ScopedVariables(const ScopedVariables&) = delete;
  ScopedVariables& operator=(const ScopedVariables&) = delete;

  // Defines `name` as `value` until the scope ends.
  void Bind(const std::string& name, Variable value);
  // Makes `name` undefined until the scope ends.
  void Unbind(const std::string& name);

 private:
  void Save(const std::string& name);

  VariableMap& vars_;
  std::vector<std::pair<std::string, std::optional<Variable>>> saved_;
};

}  // namespace modrace::make

#endif  // MODRACE_ANALYZER_MAKE_VARIABLES_H_

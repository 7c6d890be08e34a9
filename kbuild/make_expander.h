// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MAKE_EXPANDER_H_
#define MODRACE_ANALYZER_MAKE_EXPANDER_H_

// Expands make text: $(var), ${var}, $x, $$, substitution references
// $(var:a=b) and function calls (kbuild/make_functions.h). A `CONFIG_X`
// the makefile does not assign is asked of the SymbolOracle; when X may
// take several values, ExpandAll expands the text once per value and keeps
// each distinct result (docs/architecture.md, Make evaluator).

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kbuild/kbuild_makefile.h"
#include "kbuild/make_variables.h"

namespace modrace::make {

// Nested variable references and $(call)s one expansion may follow.
inline constexpr int kMaxExpandDepth = 64;

// One expansion of a text under a fixed choice of multi-valued symbols.
struct Expansion {
  // The value chosen for each multi-valued symbol: 'n', 'm' or 'y'.
  const std::map<std::string, char>* choice = nullptr;
  // Multi-valued symbols met that `choice` has no value for.
  std::vector<std::string> discovered;
  // $(shell) & co. were used: the result is not known.
  bool opaque = false;
  int depth = 0;  // nested references and $(call)s being expanded
};

// Every distinct result of a text's expansion.
struct Alternatives {
  std::vector<std::string> values;  // distinct, at least one
  bool opaque = false;              // some expansion used $(shell) & co.
};

class Expander {
 public:
  // `vars` must outlive the expander.
  Expander(VariableMap& vars, SymbolOracle oracle) : vars_(vars), oracle_(std::move(oracle)) {}

  VariableMap& variables() { return vars_; }

  // The values `symbol` (CONFIG_ prefix included) may take: never empty.
  unsigned Bits(const std::string& symbol) const;

  // One expansion; a multi-valued symbol not in x.choice takes one of its
  // values and is added to x.discovered.
  std::string Expand(std::string_view text, Expansion& x);

  // The value of the variable `name`, expanded if recursive.
  std::string Lookup(const std::string& name, Expansion& x);

  // Every distinct result over the values of the symbols `text` depends on.
  Alternatives ExpandAll(std::string_view text);

 private:
  // `body` is what stands between $( and ).
  std::string ExpandReference(std::string_view body, Expansion& x);
  std::string LookupSymbol(const std::string& name, Expansion& x);

  VariableMap& vars_;
  SymbolOracle oracle_;
};

// The words of every alternative, each once, in first-seen order.
std::vector<std::string> UnionWords(const Alternatives& a);
// The single value, or the union of the words of all of them.
std::string UnionValue(const Alternatives& a);

}  // namespace modrace::make

#endif  // MODRACE_ANALYZER_MAKE_EXPANDER_H_

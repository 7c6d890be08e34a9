// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MAKE_EVALUATOR_H_
#define MODRACE_ANALYZER_MAKE_EVALUATOR_H_

// The make evaluator behind kbuild/kbuild_makefile.h: reads a makefile's
// statements in order (conditionals, define, include, assignments; rules
// and recipes skipped) and keeps the variables they leave
// (docs/architecture.md, Make evaluator). Pure: includes are read through
// the IncludeReader.

#include <string>
#include <string_view>
#include <vector>

#include "kbuild/kbuild_makefile.h"
#include "kbuild/kbuild_obj_words.h"
#include "kbuild/make_conditionals.h"
#include "kbuild/make_expander.h"
#include "kbuild/make_include.h"
#include "kbuild/make_lexer.h"
#include "kbuild/make_variables.h"

namespace modrace::make {

class Evaluator {
 public:
  Evaluator(SymbolOracle oracle, IncludeReader reader)
      : expander_(vars_, std::move(oracle)),
        conditionals_(expander_),
        includes_(std::move(reader)) {}
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Defines a simple variable.
  void Set(std::string_view name, std::string_view value);

  // Reads one file; variables carry over between calls. A conditional the
  // file leaves open is closed at its end, with a problem.
  void Run(std::string_view content, std::string_view file);

  // The words `name` may hold, each once (kbuild/kbuild_makefile.h).
  std::vector<std::string> Words(std::string_view name);

  const ObjWords& obj_words() const { return obj_words_; }
  // One sentence each: includes not read, a missing endif, ...
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  // ifeq & co., else and endif; false for any other keyword. `floor`: the
  // conditionals open when the file started, which its endifs cannot close.
  bool RunConditional(const Keyword& keyword, size_t floor);
  // A `define` line and its body, read from `lines`.
  void RunDefine(std::string_view rest, LineReader& lines);
  // An include or an assignment, in an active branch. True when the line
  // is a rule: the tab-led lines after it are its recipe.
  bool RunStatement(std::string_view text, const Keyword& keyword, const KbuildOrigin& origin);
  void RunInclude(std::string_view rest, bool optional, const KbuildOrigin& origin);

  VariableMap vars_;
  Expander expander_;
  Conditionals conditionals_;
  IncludeStack includes_;
  ObjWords obj_words_;
  std::vector<std::string> problems_;
};

}  // namespace modrace::make

#endif  // MODRACE_ANALYZER_MAKE_EVALUATOR_H_

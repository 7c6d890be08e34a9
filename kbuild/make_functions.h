// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MAKE_FUNCTIONS_H_
#define MODRACE_ANALYZER_MAKE_FUNCTIONS_H_

// GNU make's functions as one table of {name, handler}
// (docs/architecture.md, Make evaluator). Text and file-name functions are
// in make_word_functions.cc, the ones that decide, loop, bind variables or
// cannot be known in make_control_functions.cc.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kbuild/make_expander.h"

namespace modrace::make {

// One call of a function, as a handler sees it.
class FunctionCall {
 public:
  // `args`: what follows the function's name and its blanks.
  FunctionCall(Expander& expander, Expansion& x, std::string_view args)
      : expander_(expander), x_(x), args_(args) {}

  Expander& expander() { return expander_; }
  Expansion& expansion() { return x_; }

  // The arguments as written, split at top-level commas: at most `max`,
  // the last taking the rest. Never empty.
  std::vector<std::string_view> Raw(size_t max) const;
  // The same, each expanded.
  std::vector<std::string> Expanded(size_t max);
  // Everything between the name and the closing parenthesis, expanded as
  // one text (commas included).
  std::string ExpandedWhole() { return Expand(args_); }
  std::string Expand(std::string_view text) { return expander_.Expand(text, x_); }

 private:
  Expander& expander_;
  Expansion& x_;
  std::string_view args_;
};

using FunctionHandler = std::string (*)(FunctionCall& call);

// The result of $(name args), or nullopt when `name` is no function (the
// reference is then to a variable whose name holds a blank). `args` is what
// follows the name, blanks included.
std::optional<std::string> CallFunction(Expander& expander, Expansion& x, std::string_view name,
                                        std::string_view args);

// The handlers the table names.
std::string AddPrefix(FunctionCall& call);
std::string AddSuffix(FunctionCall& call);
std::string Patsubst(FunctionCall& call);
std::string Subst(FunctionCall& call);
std::string Filter(FunctionCall& call);
std::string FilterOut(FunctionCall& call);
std::string Sort(FunctionCall& call);
std::string Strip(FunctionCall& call);
std::string Findstring(FunctionCall& call);
std::string Words(FunctionCall& call);
std::string FirstWord(FunctionCall& call);
std::string LastWord(FunctionCall& call);
std::string Word(FunctionCall& call);
std::string NotDir(FunctionCall& call);
std::string Dir(FunctionCall& call);
std::string Basename(FunctionCall& call);
std::string Suffix(FunctionCall& call);
std::string PathUnchanged(FunctionCall& call);  // abspath, realpath: the tree is relative
std::string If(FunctionCall& call);
std::string Or(FunctionCall& call);
std::string And(FunctionCall& call);
std::string Foreach(FunctionCall& call);
std::string Call(FunctionCall& call);
std::string Value(FunctionCall& call);
std::string Origin(FunctionCall& call);
std::string Flavor(FunctionCall& call);
std::string Message(FunctionCall& call);     // error, warning, info: nothing
std::string Unknowable(FunctionCall& call);  // shell, wildcard, eval, file, guile

}  // namespace modrace::make

#endif  // MODRACE_ANALYZER_MAKE_FUNCTIONS_H_

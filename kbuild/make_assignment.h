// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MAKE_ASSIGNMENT_H_
#define MODRACE_ANALYZER_MAKE_ASSIGNMENT_H_

// Variable assignments: `=`, `:=`, `::=`, `+=`, `?=` and `!=`, after the
// modifiers `export`, `override` and `private` (docs/architecture.md, Make
// evaluator). Rules and recipes are recognised only to be skipped.

#include <string_view>

#include "kbuild/kbuild_makefile.h"
#include "kbuild/kbuild_obj_words.h"
#include "kbuild/make_expander.h"
#include "kbuild/make_lexer.h"

namespace modrace::make {

// A statement without its leading modifiers, and its first word then.
// Empty for `unexport ...`, which assigns nothing.
struct Statement {
  std::string_view text;
  std::string_view word;
};
Statement StripModifiers(std::string_view text, Keyword keyword);

// An assignment cut at its operator: "obj-m += a.o" -> "obj-m ", "+=", " a.o".
struct Assignment {
  std::string_view lhs;
  std::string_view op;
  std::string_view rhs;
};

enum class LineKind { kAssignment, kRule, kOther };

// What `statement` is: an assignment (cut into *assignment), a rule (a ':'
// before any '=' outside references) or neither, such as a bare $(eval).
LineKind ParseAssignment(std::string_view statement, Assignment* assignment);

// Applies `a` to the expander's variables. The left side may expand to
// several names (obj-$(CONFIG_X)). An assignment on a line some config may
// not read (`uncertain_line`), or to a name that depends on the config,
// adds to what the variable held instead of replacing it. Words given to
// obj-y and obj-m are recorded in `obj_words` with `origin`.
void Assign(Expander& expander, const Assignment& a, bool uncertain_line,
            const KbuildOrigin& origin, ObjWords* obj_words);

}  // namespace modrace::make

#endif  // MODRACE_ANALYZER_MAKE_ASSIGNMENT_H_

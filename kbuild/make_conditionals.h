// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MAKE_CONDITIONALS_H_
#define MODRACE_ANALYZER_MAKE_CONDITIONALS_H_

// ifeq, ifneq, ifdef, ifndef, else and endif (docs/architecture.md, Make
// evaluator). A condition that depends on a symbol with several possible
// values, or on $(shell) & co., is undecided: its branch is read but
// uncertain, and so are the branches after it.

#include <string_view>
#include <vector>

#include "kbuild/make_expander.h"

namespace modrace::make {

enum class Decision { kFalse, kTrue, kUndecided };

// ifeq, ifneq, ifdef or ifndef.
bool IsConditional(std::string_view keyword);

class Conditionals {
 public:
  // `expander` must outlive this.
  explicit Conditionals(Expander& expander) : expander_(expander) {}

  // The lines read now are evaluated.
  bool Active() const { return frames_.empty() || frames_.back().active; }
  // ...but may not be, under some config: their assignments add, never replace.
  bool Uncertain() const {
    return !frames_.empty() && (frames_.back().uncertain || frames_.back().parent_uncertain);
  }

  // Open conditionals; a file's own are those above the depth at its start.
  size_t depth() const { return frames_.size(); }

  // `keyword` is IsConditional; `rest` what follows it on the line.
  void Open(std::string_view keyword, std::string_view rest);
  // `rest`: empty, or another condition ("else ifeq (a,b)").
  void Else(std::string_view rest);
  // An endif closes the innermost conditional above `floor`, if any.
  void End(size_t floor);
  // Drops the conditionals above `floor` (a file ended without their endif).
  void CloseTo(size_t floor);

 private:
  struct Frame {
    bool active = true;           // this branch is read
    bool uncertain = false;       // ...but may not be taken (or a sibling may)
    bool taken_certain = false;   // some branch of this chain was surely taken
    bool seen_undecided = false;  // some branch so far was undecided
    bool parent_active = true;
    bool parent_uncertain = false;
  };

  Decision Decide(std::string_view keyword, std::string_view rest);
  Decision DecideDefined(std::string_view keyword, std::string_view rest);
  Decision DecideEqual(std::string_view keyword, std::string_view rest);

  Expander& expander_;
  std::vector<Frame> frames_;
};

}  // namespace modrace::make

#endif  // MODRACE_ANALYZER_MAKE_CONDITIONALS_H_

// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/make_conditionals.h"

#include <string>

#include "kbuild/make_lexer.h"
#include "kbuild/make_text.h"

namespace modrace::make {

namespace {

// The two sides of ifeq/ifneq: "(a,b)", "'a' 'b'" or "\"a\" \"b\"",
// unexpanded. False when the syntax is none of these.
bool SplitComparison(std::string_view rest, std::string_view* a, std::string_view* b) {
  rest = Trim(rest);
  if (!rest.empty() && rest.front() == '(') {
    const size_t end = MatchClose(rest, 0);
    if (end == std::string_view::npos) return false;
    auto args = SplitArgs(rest.substr(1, end - 2), 2);
    if (args.size() != 2) return false;
    *a = args[0];
    *b = args[1];
    return true;
  }
  if (rest.empty() || (rest.front() != '"' && rest.front() != '\'')) return false;
  const size_t end1 = rest.find(rest.front(), 1);
  if (end1 == std::string_view::npos) return false;
  *a = rest.substr(1, end1 - 1);
  std::string_view r2 = Trim(rest.substr(end1 + 1));
  if (r2.size() < 2 || (r2.front() != '"' && r2.front() != '\'')) return false;
  const size_t end2 = r2.find(r2.front(), 1);
  if (end2 == std::string_view::npos) return false;
  *b = r2.substr(1, end2 - 1);
  return true;
}

}  // namespace

bool IsConditional(std::string_view keyword) {
  return keyword == "ifeq" || keyword == "ifneq" || keyword == "ifdef" || keyword == "ifndef";
}

void Conditionals::Open(std::string_view keyword, std::string_view rest) {
  Frame f;
  f.parent_active = Active();
  f.parent_uncertain = Uncertain();
  const Decision d = f.parent_active ? Decide(keyword, rest) : Decision::kFalse;
  f.active = f.parent_active && d != Decision::kFalse;
  f.uncertain = d == Decision::kUndecided;
  f.taken_certain = d == Decision::kTrue;
  f.seen_undecided = d == Decision::kUndecided;
  frames_.push_back(f);
}

void Conditionals::Else(std::string_view rest) {
  if (frames_.empty()) return;
  Frame& f = frames_.back();
  if (f.taken_certain || !f.parent_active) {
    f.active = false;
    return;
  }
  Decision d = Decision::kTrue;
  const Keyword kw = SplitKeyword(Trim(rest));
  if (IsConditional(kw.word)) d = Decide(kw.word, kw.rest);
  f.active = d != Decision::kFalse;
  f.uncertain = d == Decision::kUndecided || f.seen_undecided;
  if (d == Decision::kTrue && !f.seen_undecided) f.taken_certain = true;
  if (d == Decision::kUndecided) f.seen_undecided = true;
}

void Conditionals::End(size_t floor) {
  if (frames_.size() > floor) frames_.pop_back();
}

void Conditionals::CloseTo(size_t floor) {
  if (frames_.size() > floor) frames_.resize(floor);
}

Decision Conditionals::Decide(std::string_view keyword, std::string_view rest) {
  if (keyword == "ifdef" || keyword == "ifndef") return DecideDefined(keyword, rest);
  return DecideEqual(keyword, rest);
}

Decision Conditionals::DecideDefined(std::string_view keyword, std::string_view rest) {
  const Alternatives names = expander_.ExpandAll(Trim(rest));
  const VariableMap& vars = expander_.variables();
  bool any_true = false, any_false = false;
  for (const auto& n : names.values) {
    const std::string name(Trim(n));
    auto it = vars.find(name);
    if (it != vars.end()) {
      (Trim(it->second.value).empty() ? any_false : any_true) = true;
    } else if (StartsWith(name, "CONFIG_")) {
      const unsigned b = expander_.Bits(name);
      if (b & kMayBeN) any_false = true;
      if (b & (kMayBeM | kMayBeY)) any_true = true;
    } else {
      any_false = true;
    }
  }
  if (names.opaque || (any_true && any_false)) return Decision::kUndecided;
  return any_true == (keyword == "ifdef") ? Decision::kTrue : Decision::kFalse;
}

Decision Conditionals::DecideEqual(std::string_view keyword, std::string_view rest) {
  std::string_view a, b;
  if (!SplitComparison(rest, &a, &b)) return Decision::kUndecided;
  // Both sides in one expansion, so both see the same symbol values.
  std::string joined(a);
  joined += '\x1f';
  joined += b;
  const Alternatives alts = expander_.ExpandAll(joined);
  if (alts.opaque) return Decision::kUndecided;
  bool any_true = false, any_false = false;
  for (const auto& v : alts.values) {
    const size_t sep = v.find('\x1f');
    const bool equal = sep != std::string::npos && Trim(std::string_view(v).substr(0, sep)) ==
                                                       Trim(std::string_view(v).substr(sep + 1));
    (equal == (keyword == "ifeq") ? any_true : any_false) = true;
  }
  if (any_true && any_false) return Decision::kUndecided;
  return any_true ? Decision::kTrue : Decision::kFalse;
}

}  // namespace modrace::make

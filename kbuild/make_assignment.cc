// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/make_assignment.h"

#include <optional>
#include <string>

#include "kbuild/make_text.h"

namespace modrace::make {

namespace {

bool IsModifier(std::string_view word) {
  return word == "export" || word == "override" || word == "private" || word == "unexport";
}

bool IsSimpleOp(std::string_view op) { return op == ":=" || op == "::="; }

// Length of the operator that starts with s[i], a '=' or ':' outside
// references ("+=" and the like are found at their '='); 0 for a ':' that
// makes the line a rule.
size_t OperatorLength(std::string_view s, size_t i) {
  if (s[i] == '=') return 1;
  if (i + 1 < s.size() && s[i + 1] == '=') return 2;                     // :=
  if (i + 2 < s.size() && s[i + 1] == ':' && s[i + 2] == '=') return 3;  // ::=
  return 0;
}

// An assignment's right side, expanded over the symbol choices the first
// time it is needed.
class RightSide {
 public:
  RightSide(Expander& expander, std::string_view text) : expander_(expander), text_(text) {}

  std::string_view text() const { return text_; }
  const Alternatives& Expanded() {
    if (!expanded_) expanded_ = expander_.ExpandAll(text_);
    return *expanded_;
  }

 private:
  Expander& expander_;
  std::string_view text_;
  std::optional<Alternatives> expanded_;
};

// Adds the right side to `name`, keeping the variable's flavour; a new
// variable is recursive.
void Append(VariableMap& vars, const std::string& name, std::string_view op, RightSide& rhs) {
  auto it = vars.find(name);
  if (it == vars.end()) {
    vars[name] = Variable{std::string(rhs.text()), true};
  } else if (it->second.recursive) {
    const std::string more =
        IsSimpleOp(op) ? EscapeDollars(UnionValue(rhs.Expanded())) : std::string(rhs.text());
    vars[name].value += " " + more;
  } else if (op == "=" || op == "?=") {
    Variable& v = it->second;
    v.value = EscapeDollars(v.value) + " " + std::string(rhs.text());
    v.recursive = true;
  } else {
    const std::string more = UnionValue(rhs.Expanded());
    vars[name].value += " " + more;
  }
}

// False when the variable was left alone (`?=` on a defined one) or was
// given what cannot be known (`!=` runs a shell command).
bool AssignOne(VariableMap& vars, const std::string& name, std::string_view op, RightSide& rhs,
               bool uncertain) {
  const bool exists = vars.count(name) != 0;
  if (op == "?=" && exists) return false;
  if (op == "!=") {
    vars[name] = Variable{"", false};
    return false;
  }
  if (op == "+=" || (uncertain && exists)) {
    Append(vars, name, op, rhs);
  } else if (IsSimpleOp(op)) {
    vars[name] = Variable{UnionValue(rhs.Expanded()), false};
  } else {  // "=" or "?=" on a new variable
    vars[name] = Variable{std::string(rhs.text()), true};
  }
  return true;
}

}  // namespace

Statement StripModifiers(std::string_view text, Keyword keyword) {
  std::string_view word = keyword.word;
  std::string_view rest = keyword.rest;
  while (IsModifier(word)) {
    if (word == "unexport") return {};
    text = Trim(rest);
    size_t k = 0;
    while (k < text.size() && !IsBlank(text[k])) ++k;
    word = text.substr(0, k);
    rest = text.substr(k);
  }
  return {text, word};
}

LineKind ParseAssignment(std::string_view s, Assignment* assignment) {
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '$' && i + 1 < s.size() && (s[i + 1] == '(' || s[i + 1] == '{')) {
      ++depth;
      ++i;
    } else if ((c == '(' || c == '{') && depth > 0) {
      ++depth;
    } else if ((c == ')' || c == '}') && depth > 0) {
      --depth;
    } else if (depth == 0 && (c == '=' || c == ':')) {
      size_t at = i;
      size_t len = OperatorLength(s, i);
      if (len == 0) return LineKind::kRule;
      if (c == '=' && i > 0 && (s[i - 1] == '+' || s[i - 1] == '?' || s[i - 1] == '!')) {
        at = i - 1;
        len = 2;
      }
      *assignment = {s.substr(0, at), s.substr(at, len), s.substr(at + len)};
      return LineKind::kAssignment;
    }
  }
  return LineKind::kOther;
}

void Assign(Expander& expander, const Assignment& a, bool uncertain_line,
            const KbuildOrigin& origin, ObjWords* obj_words) {
  const Alternatives names = expander.ExpandAll(Trim(a.lhs));
  const bool uncertain = uncertain_line || names.values.size() > 1 || names.opaque;
  RightSide rhs(expander, Trim(a.rhs));
  for (const auto& raw_name : names.values) {
    const std::string name(Trim(raw_name));
    if (name.empty()) continue;
    if (!AssignOne(expander.variables(), name, a.op, rhs, uncertain)) continue;
    if (ObjWords::Tracks(name)) obj_words->Add(name, rhs.Expanded(), !uncertain, origin);
  }
}

}  // namespace modrace::make

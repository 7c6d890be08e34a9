// SPDX-License-Identifier: GPL-2.0-only
// Make's functions that decide, loop, bind variables, look at a variable's
// definition, or cannot be known here (kbuild/make_functions.h).

#include "kbuild/make_functions.h"
#include "kbuild/make_text.h"

namespace modrace::make {

namespace {

// $(call)'s arguments are $(0) to $(9); a further one is not bound.
constexpr size_t kCallArgs = 10;
// More arguments than any call has: none is left joined to the last.
constexpr size_t kAllArgs = 1000;

// The definition of the variable the whole argument names, or null.
const Variable* Named(FunctionCall& call) {
  const VariableMap& vars = call.expander().variables();
  auto it = vars.find(std::string(Trim(call.ExpandedWhole())));
  return it == vars.end() ? nullptr : &it->second;
}

}  // namespace

std::string If(FunctionCall& call) {
  const auto a = call.Raw(3);
  const std::string cond(Trim(call.Expand(a[0])));
  if (!cond.empty()) return a.size() > 1 ? call.Expand(a[1]) : std::string();
  return a.size() > 2 ? call.Expand(a[2]) : std::string();
}

std::string Or(FunctionCall& call) {
  for (auto a : call.Raw(kAllArgs)) {
    std::string v(Trim(call.Expand(a)));
    if (!v.empty()) return v;
  }
  return std::string();
}

std::string And(FunctionCall& call) {
  std::string last;
  for (auto a : call.Raw(kAllArgs)) {
    last = std::string(Trim(call.Expand(a)));
    if (last.empty()) return std::string();
  }
  return last;
}

std::string Foreach(FunctionCall& call) {
  const auto a = call.Raw(3);
  if (a.size() < 3) return std::string();
  const std::string var(Trim(call.Expand(a[0])));
  const std::string list = call.Expand(a[1]);
  ScopedVariables scope(call.expander().variables());
  std::vector<std::string> out;
  for (auto w : SplitWords(list)) {
    scope.Bind(var, Variable{std::string(w), false});
    const std::string r = call.Expand(a[2]);
    if (!Trim(r).empty()) out.push_back(std::string(Trim(r)));
  }
  return JoinWords(out);
}

std::string Call(FunctionCall& call) {
  const auto a = call.Expanded(kAllArgs);
  const std::string name(Trim(a[0]));
  VariableMap& vars = call.expander().variables();
  Expansion& x = call.expansion();
  auto it = vars.find(name);
  if (it == vars.end() || x.depth >= kMaxExpandDepth) return std::string();
  const Variable body = it->second;  // binding the arguments may move it
  ScopedVariables scope(vars);
  for (size_t k = 0; k < kCallArgs; ++k) {
    const std::string key = std::to_string(k);
    if (k < a.size()) {
      scope.Bind(key, Variable{k == 0 ? name : a[k], false});
    } else {
      scope.Unbind(key);
    }
  }
  if (!body.recursive) return body.value;
  ++x.depth;
  std::string out = call.Expand(body.value);
  --x.depth;
  return out;
}

std::string Value(FunctionCall& call) {
  const Variable* v = Named(call);
  return v ? v->value : std::string();
}

std::string Origin(FunctionCall& call) { return Named(call) ? "file" : "undefined"; }

std::string Flavor(FunctionCall& call) {
  const Variable* v = Named(call);
  if (!v) return "undefined";
  return v->recursive ? "recursive" : "simple";
}

std::string Message(FunctionCall& call) {
  (void)call.ExpandedWhole();
  return std::string();
}

std::string Unknowable(FunctionCall& call) {
  call.expansion().opaque = true;
  return std::string();
}

}  // namespace modrace::make

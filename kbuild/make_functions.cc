// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/make_functions.h"

#include <unordered_map>

#include "kbuild/make_text.h"

namespace modrace::make {

namespace {

struct FunctionEntry {
  std::string_view name;
  FunctionHandler handler;
};

constexpr FunctionEntry kFunctions[] = {
    {"addprefix", AddPrefix},
    {"addsuffix", AddSuffix},
    {"patsubst", Patsubst},
    {"subst", Subst},
    {"filter", Filter},
    {"filter-out", FilterOut},
    {"sort", Sort},
    {"strip", Strip},
    {"findstring", Findstring},
    {"words", Words},
    {"firstword", FirstWord},
    {"lastword", LastWord},
    {"word", Word},
    {"notdir", NotDir},
    {"dir", Dir},
    {"basename", Basename},
    {"suffix", Suffix},
    {"abspath", PathUnchanged},
    {"realpath", PathUnchanged},
    {"if", If},
    {"or", Or},
    {"and", And},
    {"foreach", Foreach},
    {"call", Call},
    {"value", Value},
    {"origin", Origin},
    {"flavor", Flavor},
    {"error", Message},
    {"warning", Message},
    {"info", Message},
    // Need a process, the file system or make's own parser: unknown.
    {"shell", Unknowable},
    {"wildcard", Unknowable},
    {"eval", Unknowable},
    {"file", Unknowable},
    {"guile", Unknowable},
};

FunctionHandler FindFunction(std::string_view name) {
  static const std::unordered_map<std::string_view, FunctionHandler> table = [] {
    std::unordered_map<std::string_view, FunctionHandler> t;
    for (const FunctionEntry& e : kFunctions) t.emplace(e.name, e.handler);
    return t;
  }();
  auto it = table.find(name);
  return it == table.end() ? nullptr : it->second;
}

}  // namespace

std::vector<std::string> FunctionCall::Expanded(size_t max) {
  std::vector<std::string> out;
  for (auto a : Raw(max)) out.push_back(Expand(a));
  return out;
}

std::vector<std::string_view> FunctionCall::Raw(size_t max) const { return SplitArgs(args_, max); }

std::optional<std::string> CallFunction(Expander& expander, Expansion& x, std::string_view name,
                                        std::string_view args) {
  const FunctionHandler handler = FindFunction(name);
  if (!handler) return std::nullopt;
  while (!args.empty() && IsBlank(args.front())) args.remove_prefix(1);
  FunctionCall call(expander, x, args);
  return handler(call);
}

}  // namespace modrace::make

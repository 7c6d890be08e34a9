// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/kbuild_makefile.h"

#include <set>

#include "kbuild/make_evaluator.h"
#include "kbuild/make_text.h"

// The make evaluator itself is in kbuild/make_*.h (docs/architecture.md,
// Make evaluator); this file is kbuild's reading of what it leaves.

namespace modrace {

std::string NormalizeTreePath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    const std::string_view part = path.substr(i, j - i);
    if (part.empty() || part == ".") {
      // skip
    } else if (part == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  for (auto p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

struct KbuildMakefile::State {
  State(SymbolOracle oracle, IncludeReader reader)
      : evaluator(std::move(oracle), std::move(reader)) {}
  make::Evaluator evaluator;
};

KbuildMakefile::KbuildMakefile(SymbolOracle oracle, IncludeReader reader)
    : state_(std::make_unique<State>(std::move(oracle), std::move(reader))) {}

KbuildMakefile::~KbuildMakefile() = default;

void KbuildMakefile::Set(std::string_view name, std::string_view value) {
  state_->evaluator.Set(name, value);
}

void KbuildMakefile::Evaluate(std::string_view content, std::string_view file_name) {
  state_->evaluator.Run(content, file_name);
}

std::vector<std::string> KbuildMakefile::Words(std::string_view name) {
  return state_->evaluator.Words(name);
}

KbuildDirectory KbuildMakefile::Directory(std::string_view dir) {
  const make::ObjWords& words = state_->evaluator.obj_words();
  KbuildDirectory out;
  out.problems = state_->evaluator.problems();
  const std::vector<std::string> obj_y = Words("obj-y");
  const std::vector<std::string> obj_m = Words("obj-m");
  auto join = [&](const std::string& word) {
    return NormalizeTreePath(std::string(dir) + "/" + word);
  };
  std::set<std::string> seen_modules, seen_dirs;
  for (const auto& w : obj_m) {
    if (!make::EndsWith(w, ".o") || w.size() <= 2) continue;
    // kbuild: obj-m := $(filter-out $(obj-y),$(obj-m)). Only an obj-y
    // entry that is there for every config removes a possible module.
    if (words.Certain("obj-y", w)) continue;
    const std::string path = join(w.substr(0, w.size() - 2));
    if (!seen_modules.insert(path).second) continue;
    out.modules.push_back({path, words.OriginOf("obj-m", w), words.Certain("obj-m", w)});
  }
  for (const auto* list : {&obj_y, &obj_m}) {
    const std::string var = list == &obj_y ? "obj-y" : "obj-m";
    for (const auto& w : *list) {
      if (!make::EndsWith(w, "/")) continue;
      const std::string path = join(w);
      if (path.empty() || !seen_dirs.insert(path).second) continue;
      out.subdirs.push_back({path, words.OriginOf(var, w), words.Certain(var, w)});
    }
  }
  return out;
}

KbuildDirectory EvaluateKbuildDirectory(std::string_view content, std::string_view file_name,
                                        std::string_view dir,
                                        const std::map<std::string, std::string>& vars,
                                        SymbolOracle oracle, IncludeReader reader) {
  KbuildMakefile mk(std::move(oracle), std::move(reader));
  const std::string d = dir.empty() ? std::string(".") : std::string(dir);
  mk.Set("srctree", ".");
  mk.Set("objtree", ".");
  mk.Set("src", d);
  mk.Set("obj", d);
  // scripts/Makefile.build starts with `obj-y :=` and `obj-m :=`: they are
  // simple variables, so `+=` expands its text at once.
  for (const char* v : {"obj-y", "obj-m", "lib-y", "subdir-y", "subdir-m"}) mk.Set(v, "");
  for (const auto& [k, v] : vars) mk.Set(k, v);
  mk.Evaluate(content, file_name);
  return mk.Directory(dir);
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_KBUILD_OBJ_WORDS_H_
#define MODRACE_ANALYZER_KBUILD_OBJ_WORDS_H_

// What the make evaluator remembers of the words assigned to obj-y and
// obj-m, the lists kbuild reads (kbuild/kbuild_makefile.h): the line
// that first added each word, and whether some assignment added it for
// every config.

#include <map>
#include <set>
#include <string>

#include "kbuild/kbuild_makefile.h"
#include "kbuild/make_expander.h"

namespace modrace::make {

class ObjWords {
 public:
  // obj-y or obj-m.
  static bool Tracks(const std::string& var);

  // `value` was assigned or appended to `var` by the line `origin`;
  // `certain_line`: the line is read under every config.
  void Add(const std::string& var, const Alternatives& value, bool certain_line,
           const KbuildOrigin& origin);

  // The line that first added `word` to `var`; empty if none did.
  KbuildOrigin OriginOf(const std::string& var, const std::string& word) const;
  // Some assignment added `word` to `var` under every config.
  bool Certain(const std::string& var, const std::string& word) const;

 private:
  std::map<std::string, std::map<std::string, KbuildOrigin>> origins_;
  std::map<std::string, std::set<std::string>> certain_;
};

}  // namespace modrace::make

#endif  // MODRACE_ANALYZER_KBUILD_OBJ_WORDS_H_

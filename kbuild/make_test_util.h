// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MAKE_TEST_UTIL_H_
#define MODRACE_ANALYZER_MAKE_TEST_UTIL_H_

// Helpers for the tests of the make evaluator behind kbuild/kbuild_makefile.h.

#include <string>
#include <string_view>

#include "kbuild/kbuild_makefile.h"

namespace modrace {

// The words `var` holds after evaluating `text` with every CONFIG_ symbol n,
// joined with one blank.
inline std::string MakeWords(std::string_view text, std::string_view var) {
  KbuildMakefile mk([](std::string_view) { return kMayBeN; }, nullptr);
  mk.Evaluate(text, "test.mk");
  std::string out;
  for (const std::string& w : mk.Words(var)) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace modrace

#endif  // MODRACE_ANALYZER_MAKE_TEST_UTIL_H_

// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the Kbuild/Makefile evaluator. The input up to the first line
// "#---" is the directory's Kbuild file; what follows is what every
// `include` reads (so a file can include itself: the depth limit must
// hold). Config symbols may be n, m or y, chosen from the symbol's bytes,
// so the evaluator's alternatives and undecided conditions are exercised.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "kbuild/kbuild_makefile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modrace;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t sep = input.find("\n#---\n");
  const std::string_view kbuild = input.substr(0, sep);
  const std::optional<std::string> included =
      sep == std::string_view::npos ? std::nullopt
                                    : std::optional<std::string>(input.substr(sep + 6));
  auto oracle = [](std::string_view symbol) -> unsigned {
    unsigned h = 0;
    for (char c : symbol) h = h * 31 + static_cast<unsigned char>(c);
    const unsigned set = h % 8;
    return set == 0 ? kMayBeN | kMayBeM | kMayBeY : set;
  };
  auto reader = [&](std::string_view) { return included; };
  const KbuildDirectory dir = EvaluateKbuildDirectory(
      kbuild, "drivers/fuzz/Makefile", "drivers/fuzz", {{"ARCH", "x86"}, {"SRCARCH", "x86"}},
      oracle, reader);
  for (const KbuildEntry& e : dir.modules) (void)NormalizeTreePath(e.path);
  // The class API too: words of the variables kbuild reads.
  KbuildMakefile mk(oracle, reader);
  mk.Set("obj", "x");
  mk.Evaluate(kbuild, "Kbuild");
  (void)mk.Words("obj-m");
  (void)mk.Words("obj-y");
  (void)mk.Directory("x");
  (void)NormalizeTreePath(kbuild.substr(0, 256));
  return 0;
}

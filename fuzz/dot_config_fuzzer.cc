// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the .config parser and its queries.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kbuild/dot_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modrace;
  const DotConfig config =
      DotConfig::Parse(std::string_view(reinterpret_cast<const char*>(data), size));
  for (const std::string& symbol : config.ModuleSymbols()) {
    if (config.Get(symbol) != Tristate::kModule || !config.Mentions(symbol)) abort();
  }
  (void)config.Value("CONFIG_FUZZ");
  (void)config.Get("CONFIG_FUZZ");
  return 0;
}

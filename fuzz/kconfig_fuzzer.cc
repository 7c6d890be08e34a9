// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the Kconfig parser, the symbol table and source-path expansion.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "kbuild/kconfig.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modrace;
  const KconfigFile file =
      ParseKconfig(std::string_view(reinterpret_cast<const char*>(data), size));
  KconfigSymbols symbols;
  symbols.Add(file);
  for (const KconfigSymbol& s : file.symbols) {
    if (!symbols.Defines(s.name)) abort();
    (void)SymbolTypeName(symbols.TypeOf(s.name));
  }
  const std::map<std::string, std::string> vars = {{"SRCARCH", "x86"}, {"ARCH", "x86_64"}};
  for (const KconfigSource& s : file.sources) (void)ExpandKconfigPath(s.path, vars);
  return 0;
}

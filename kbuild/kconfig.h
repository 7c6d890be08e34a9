// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_KCONFIG_H_
#define MODRACE_ANALYZER_KCONFIG_H_

// Parser of Kconfig files for what the audit needs: each symbol's type (a
// bool symbol never builds a module, a tristate may) and the `source`
// lines that lead to further Kconfig files. Pure: takes file contents; the
// caller reads the files the sources name.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace modrace {

enum class SymbolType { kUnknown, kBool, kTristate, kString, kInt, kHex };

std::string_view SymbolTypeName(SymbolType type);

// `source "path"` and its variants: osource (optional: a missing file is
// fine), rsource (relative to the including file's directory), orsource.
struct KconfigSource {
  std::string path;  // as written, may hold $(SRCARCH)-style references
  bool optional = false;
  bool relative = false;
  int line = 0;
};

struct KconfigSymbol {
  std::string name;  // with the CONFIG_ prefix, as Makefiles spell it
  SymbolType type = SymbolType::kUnknown;  // kUnknown: this entry gave no type
  int line = 0;
  // Symbols (CONFIG_-prefixed) this entry's `depends on` lines require
  // outright: the bare names of a plain conjunction (`A && (B && C)`). A
  // line with ||, !, a comparison or anything else is not read (it may be
  // met without any one symbol).
  std::vector<std::string> requires_symbols;
};

struct KconfigFile {
  std::vector<KconfigSymbol> symbols;  // every config/menuconfig entry, in order
  std::vector<KconfigSource> sources;
};

// Help texts are skipped (they may hold any words); members of a bool
// choice are bool, whatever they declare, since a bool choice cannot be m.
KconfigFile ParseKconfig(std::string_view content);

// Replaces $(NAME) and ${NAME} in a source path from `vars`. Returns
// nullopt when the path refers to a variable `vars` does not hold.
std::optional<std::string> ExpandKconfigPath(std::string_view path,
                                             const std::map<std::string, std::string>& vars);

// The symbol types of a whole Kconfig tree. A symbol defined in several
// entries takes the first type given; if another entry gives tristate the
// symbol counts as tristate (it may build a module somewhere).
class KconfigSymbols {
 public:
  void Add(const KconfigFile& file);
  SymbolType TypeOf(std::string_view symbol) const;  // kUnknown if never defined
  bool Defines(std::string_view symbol) const;
  // True when every entry defining `symbol` requires a symbol this tree
  // never defines (kconfig reads an undefined symbol as n): it cannot be
  // enabled, e.g. CONFIG_ADI (`depends on SPARC64`) with x86's Kconfig.
  // Call once every file is added.
  bool Unreachable(std::string_view symbol) const;
  size_t size() const { return types_.size(); }

 private:
  std::unordered_map<std::string, SymbolType> types_;
  // Per symbol, each defining entry's required symbols.
  std::unordered_map<std::string, std::vector<std::vector<std::string>>> requires_;
};

}  // namespace modrace

#endif  // MODRACE_ANALYZER_KCONFIG_H_

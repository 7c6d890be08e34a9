// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_DOT_CONFIG_H_
#define MODRACE_ANALYZER_DOT_CONFIG_H_

// Parser of a kernel `.config` (or include/config/auto.conf): lines
// `CONFIG_X=y`, `CONFIG_X=m`, `CONFIG_X="string"`, `CONFIG_X=123` and
// `# CONFIG_X is not set`. Pure: takes the file's content.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace modrace {

// A config symbol's value as kbuild sees it in `obj-$(CONFIG_X)`: n is
// "unset" (the make variable is empty), m builds a module, y builds in.
enum class Tristate { kNo, kModule, kYes };

class DotConfig {
 public:
  // Symbols keep their `CONFIG_` prefix, as Makefiles spell them. Lines
  // that are neither an assignment nor a "not set" comment are ignored
  // (counted in ignored_lines()); a later assignment wins, as in kconfig.
  static DotConfig Parse(std::string_view content);

  // The raw value ("y", "m", "\"str\"", "0x10"); "" for n and for symbols
  // the file does not mention.
  std::string Value(std::string_view symbol) const;
  // y/m as such; n, unset and any non-tristate value other than y/m: kNo.
  Tristate Get(std::string_view symbol) const;
  bool Mentions(std::string_view symbol) const;

  size_t size() const { return values_.size(); }
  size_t ignored_lines() const { return ignored_lines_; }
  // Symbols set to m, sorted.
  std::vector<std::string> ModuleSymbols() const;

 private:
  std::unordered_map<std::string, std::string> values_;  // "" means "is not set"
  size_t ignored_lines_ = 0;
};

}  // namespace modrace

#endif  // MODRACE_ANALYZER_DOT_CONFIG_H_

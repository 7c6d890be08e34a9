// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_KBUILD_MAKEFILE_H_
#define MODRACE_ANALYZER_KBUILD_MAKEFILE_H_

// Evaluates a kbuild `Kbuild`/`Makefile` the way kbuild reads it for one
// directory, enough to know which modules it builds and which
// subdirectories it descends into (scripts/Makefile.lib of 6.1):
//   - obj-m entries `foo.o` are modules (dir/foo.ko), unless also in obj-y
//     ("only build the compiled-in version");
//   - obj-y and obj-m entries `sub/` are subdirectories kbuild descends;
//   - composite parts (foo-y, foo-objs, foo-m, foo-$(CONFIG_X)) are objects
//     of a module, never modules themselves.
// It implements the GNU make subset kbuild files use: continuation lines,
// comments, `=`, `:=`, `::=`, `+=`, `?=`, recursive and simple variables,
// `export`/`override`, ifdef/ifndef/ifeq/ifneq/else/endif, define/endef,
// `include`, and the common functions (addprefix, patsubst, filter, if,
// foreach, call, ...). Rules and recipes are skipped.
//
// Config symbols: a `CONFIG_X` the file does not assign is asked of the
// SymbolOracle, which returns the set of values X may take. With a real
// .config that set has one member; for a latent audit ("could any config
// build this?") a tristate may be n, m or y. Lines whose meaning depends on
// a symbol with several possible values are evaluated for each value and
// the results united; a conditional block whose outcome is not fixed is
// entered, and its assignments add to the variable instead of replacing
// it. `$(shell)`, `$(wildcard)` and the like expand to "" and make any
// condition that uses them undecided.
//
// Pure: no file I/O. `include` asks the IncludeReader for the content.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace modrace {

// Possible values of a config symbol, as a bit set.
inline constexpr unsigned kMayBeN = 1;  // unset: $(CONFIG_X) is empty
inline constexpr unsigned kMayBeM = 2;
inline constexpr unsigned kMayBeY = 4;

// `symbol` carries its CONFIG_ prefix. Must return a non-empty set.
using SymbolOracle = std::function<unsigned(std::string_view symbol)>;
// The content of an included file (path as the Makefile spells it after
// expansion, e.g. "./scripts/Makefile.lib" or "drivers/foo/common.mk"),
// or nullopt when it cannot be read.
using IncludeReader = std::function<std::optional<std::string>(std::string_view path)>;

// Where an entry came from: the file and logical line that added it.
struct KbuildOrigin {
  std::string file;
  int line = 0;
  std::string text;  // the logical line, continuation lines joined
};

struct KbuildEntry {
  std::string path;  // relative to the tree: "drivers/net/usb/asix" or "drivers/net"
  KbuildOrigin origin;
  // False when the entry depends on a symbol with several possible values
  // or on an undecided condition.
  bool certain = true;
};

struct KbuildDirectory {
  std::vector<KbuildEntry> modules;  // in obj-m order, each once
  std::vector<KbuildEntry> subdirs;  // obj-y ones first, then obj-m, each once
  std::vector<std::string> problems;  // one sentence each: includes not read, ...
};

class KbuildMakefile {
 public:
  KbuildMakefile(SymbolOracle oracle, IncludeReader reader);
  ~KbuildMakefile();
  KbuildMakefile(const KbuildMakefile&) = delete;
  KbuildMakefile& operator=(const KbuildMakefile&) = delete;

  // Defines a simple variable (srctree, src, obj, ARCH, SRCARCH, ...).
  void Set(std::string_view name, std::string_view value);

  // Reads one file; variables carry over between calls, as make's do for
  // the files it includes.
  void Evaluate(std::string_view content, std::string_view file_name);

  // The words a variable may hold, each once, in first-seen order (the
  // union over the possible values of the symbols it depends on).
  std::vector<std::string> Words(std::string_view name);

  // What kbuild does in `dir` (relative to the tree, "" for the top) with
  // the obj-y and obj-m evaluated so far.
  KbuildDirectory Directory(std::string_view dir);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Evaluates one directory's kbuild file with the standard variables set:
// srctree and objtree ".", src and obj `dir`, obj-y and obj-m empty
// simple variables (as scripts/Makefile.build sets them), plus `vars`.
KbuildDirectory EvaluateKbuildDirectory(std::string_view content, std::string_view file_name,
                                        std::string_view dir,
                                        const std::map<std::string, std::string>& vars,
                                        SymbolOracle oracle, IncludeReader reader);

// "a/b/../c/./d/" -> "a/c/d"; leading "./" dropped. ".." above the top
// stays ("../x").
std::string NormalizeTreePath(std::string_view path);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_KBUILD_MAKEFILE_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_SOURCE_TREE_H_
#define MODRACE_ANALYZER_SOURCE_TREE_H_

// The source-tree model of `modrace audit` (docs/architecture.md, Client):
// which modules a kernel source tree (or an out-of-tree module's) builds,
// predicted without building. Pure: every file comes through the caller's
// SourceReader, as make's includes come through IncludeReader
// (kbuild/kbuild_makefile.h).
//
// kbuild's descent is replayed from the top Kbuild (6.1: obj-y dirs plus
// the arch Makefile's core-y/libs-y/drivers-y), or from the top Makefile's
// init-y/core-y/... (older kernels), or from the tree's own Kbuild/Makefile
// (an out-of-tree module). Without a config the symbol types from Kconfig
// (followed by `source` from the top Kconfig, so only this arch's symbols
// count) decide what could be a module; with a .config it decides.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kbuild/dot_config.h"
#include "proto/finding.h"

namespace modrace {

struct SourceReader {
  // The content of `path`: relative to the tree and normalized
  // ("drivers/net/Makefile"), or absolute (an include of an absolute
  // $(srctree)/...); nullopt when it is missing, unreadable or outside the
  // tree.
  std::function<std::optional<std::string>(const std::string& path)> read;
  // Whether `rel` is a directory of the tree.
  std::function<bool(const std::string& rel)> is_directory;
  // A one-line status now and then (each directory, each Kconfig file);
  // may be empty.
  std::function<void(const std::string& line)> progress;
};

// One predicted module and the line that makes it.
struct PredictedModule {
  std::string path;  // "drivers/net/usb/asix"
  Evidence evidence;
  // Built by every config that reaches its directory, and every directory
  // above it is reached by every config.
  bool certain = true;
};

struct SourcePrediction {
  bool kernel = false;  // a kernel tree (arch/SRCARCH and a top Makefile)
  std::vector<PredictedModule> modules;  // each module path once, first sighting
  // Module paths reached from two Makefiles (two recursive makes build
  // them), with every sighting.
  std::vector<std::pair<std::string, std::vector<PredictedModule>>> reached_twice;
  // Module path -> every Kbuild/Makefile line that builds it, in descent
  // order (two lines: two recursive makes build it).
  std::map<std::string, std::vector<SourceLine>> sources;
  std::vector<std::string> missing_dirs;  // descended into, but no Kbuild/Makefile
  std::vector<std::string> problems;      // constructs not evaluated
  bool no_arch = false;  // arch/SRCARCH/Makefile could not be read (one of `problems`)
  uint64_t files_read = 0;
  uint64_t dirs = 0;
  uint64_t kconfig_files = 0;
  uint64_t kconfig_symbols = 0;
};

// `srcarch`: the arch directory ("x86"). `config`: null for a latent
// prediction (every config of that arch).
// `make_variables`: what a make command line sets ("RENAME" -> "1"), over
// the tree's own, as make's command-line variables are.
SourcePrediction PredictSourceTree(const std::string& srcarch, const DotConfig* config,
                                   const SourceReader& reader,
                                   const std::map<std::string, std::string>& make_variables = {});

}  // namespace modrace

#endif  // MODRACE_ANALYZER_SOURCE_TREE_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MAKE_INCLUDE_H_
#define MODRACE_ANALYZER_MAKE_INCLUDE_H_

// `include`, `-include` and `sinclude`: the files being read through the
// IncludeReader. An include loop is read once; past 16 levels or 100 files
// in one evaluation nothing more is read (docs/architecture.md, Make
// evaluator).

#include <optional>
#include <string>
#include <vector>

#include "kbuild/kbuild_makefile.h"

namespace modrace::make {

class IncludeStack {
 public:
  explicit IncludeStack(IncludeReader reader) : reader_(std::move(reader)) {}

  // The content of `path` to evaluate now, followed by Close(); or nullopt,
  // with a sentence added to `problems` unless an `-include` (`optional`)
  // named a file that cannot be read. `origin` is the include line.
  std::optional<std::string> Open(const std::string& path, bool optional,
                                  const KbuildOrigin& origin, std::vector<std::string>* problems);
  // The content of the last Open was evaluated.
  void Close() { open_.pop_back(); }

 private:
  IncludeReader reader_;
  std::vector<std::string> open_;  // files being included, outermost first
  size_t read_ = 0;
};

}  // namespace modrace::make

#endif  // MODRACE_ANALYZER_MAKE_INCLUDE_H_

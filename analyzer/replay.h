// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_REPLAY_H_
#define MODRACE_ANALYZER_REPLAY_H_

// Replay: runs a recorded event stream (one FsEvent JSON line each, as
// `modraced --record` writes) through an Analyzer. Pure: the caller reads
// the file. Bad lines are not skipped silently: the first one stops the
// replay with its line number, and what was consumed before it stays.

#include <cstddef>
#include <string>
#include <string_view>

#include "analyzer/analyzer.h"

namespace modrace {

struct ReplayResult {
  bool ok = true;
  size_t events = 0;      // events consumed
  size_t bad_line = 0;    // 1-based line of the first error, when !ok
  std::string error;
};

// Consumes every line of `text`. Blank lines are allowed; seqs must
// increase strictly (a stream out of order would give wrong findings).
ReplayResult ReplayEvents(std::string_view text, Analyzer* analyzer);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_REPLAY_H_

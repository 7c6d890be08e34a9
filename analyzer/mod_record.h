// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MOD_RECORD_H_
#define MODRACE_ANALYZER_MOD_RECORD_H_

// Parsers of the `.mod` files kbuild writes for each module (docs/kbuild.md):
//   old (before 5.3), .tmp_versions/NAME.mod:
//       line 1 the .ko path, line 2 the objects (space separated),
//       line 3 undefined symbols (may be empty)
//   5.3 to 6.0, DIR/NAME.mod: line 1 objects, line 2 undefined symbols
//   6.1, DIR/NAME.mod: objects one per line
// Bad input never crashes a parser: binary bytes, NUL holes, cut lines and
// huge content become `problems`, the evidence of torn writes.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace modrace {

// What is wrong with an artifact's content, as a torn write leaves it.
struct ContentProblems {
  size_t nul_bytes = 0;        // NUL bytes in a text file: two `>` writers
  size_t first_nul_offset = 0;
  bool cut_line = false;       // the last line has no newline
  bool non_text = false;       // other control bytes
  std::vector<std::string> notes;  // one sentence each, for evidence

  bool Torn() const { return nul_bytes > 0 || !notes.empty(); }
};

// Looks for NUL bytes, cut lines and control bytes in text content.
ContentProblems CheckTextContent(std::string_view content);

struct OldModRecord {
  std::string ko_path;               // line 1, as written ("drivers/net/phy/asix.ko")
  std::vector<std::string> objects;  // line 2
  std::vector<std::string> undefined_symbols;  // line 3
  ContentProblems problems;  // includes "objects of two modules" and format breaks
};

// Parses .tmp_versions/NAME.mod content; `file_name` is NAME (the module
// name the file is named after), used to check line 1.
OldModRecord ParseOldModRecord(std::string_view content, std::string_view file_name);

struct NewModRecord {
  std::vector<std::string> objects;
  ContentProblems problems;
};

// Parses DIR/NAME.mod of 5.3+ (both the two-line and the 6.1 layouts).
NewModRecord ParseNewModRecord(std::string_view content);

// Splits on '\n'; a last line without newline is kept. Empty content gives
// no lines.
std::vector<std::string_view> SplitLines(std::string_view content);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_MOD_RECORD_H_

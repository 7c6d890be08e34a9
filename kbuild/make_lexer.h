// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MAKE_LEXER_H_
#define MODRACE_ANALYZER_MAKE_LEXER_H_

// Cuts a makefile into logical lines the way GNU make reads it: physical
// lines joined at a backslash-newline, comments, the body of
// `define ... endef`, and a statement's first word
// (docs/architecture.md, Make evaluator).

#include <optional>
#include <string>
#include <string_view>

namespace modrace::make {

// One logical line: its physical lines joined, each backslash-newline and
// the blanks around it made one space. A trailing CR is dropped.
struct LogicalLine {
  std::string text;
  int number = 0;                // its first physical line, from 1
  bool starts_with_tab = false;  // a recipe line when it follows a rule
};

class LineReader {
 public:
  // `content` must outlive the reader.
  explicit LineReader(std::string_view content) : content_(content) {}

  // The next logical line; false at the end of the content.
  bool Next(LogicalLine* line);

 private:
  std::string_view content_;
  size_t pos_ = 0;
  int number_ = 0;  // physical lines read
};

// After a `define` line: the lines up to its `endef` (nested
// define ... endef pairs belong to the body), joined with '\n', comments
// kept. nullopt when the content ends first.
std::optional<std::string> ReadDefineBody(LineReader& lines);

// The variable name a `define` line gives after the word `define`, an
// assignment operator at its end dropped ("name :=" -> "name").
// Unexpanded.
std::string_view DefineName(std::string_view rest);

// Cuts `line` at its first '#' not escaped by a backslash.
void StripComment(std::string* line);

// A statement's first word (up to a blank or '(', as in "ifeq(a,b)") and
// what follows it.
struct Keyword {
  std::string_view word;
  std::string_view rest;
};
Keyword SplitKeyword(std::string_view statement);

}  // namespace modrace::make

#endif  // MODRACE_ANALYZER_MAKE_LEXER_H_

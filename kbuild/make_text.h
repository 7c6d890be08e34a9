// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MAKE_TEXT_H_
#define MODRACE_ANALYZER_MAKE_TEXT_H_

// Text as GNU make cuts it: blanks, words, `%` patterns, references and
// function arguments. Shared by the parts of the make evaluator behind
// kbuild/kbuild_makefile.h (docs/architecture.md, Make evaluator).

#include <string>
#include <string_view>
#include <vector>

#include "common/strings.h"

namespace modrace::make {

// Space, tab, CR, LF and form feed.
bool IsBlank(char c);
using modrace::EndsWith;
using modrace::StartsWith;
using modrace::Trim;

// The blank-separated words of `s`, views into it.
std::vector<std::string_view> SplitWords(std::string_view s);
// The words with one blank between them.
std::string JoinWords(const std::vector<std::string>& words);

// Make's `%` patterns: one `%` matches any run (its stem); a pattern
// without `%` matches only itself. `stem` may be null.
bool PatternMatch(std::string_view pattern, std::string_view word, std::string_view* stem);
// `replacement` with its first `%` replaced by `stem`.
std::string PatternReplace(std::string_view replacement, std::string_view stem);
// $(patsubst from,to,text): each word of `text` matching `from` replaced,
// the others kept.
std::string PatternSubstitute(std::string_view from, std::string_view to, std::string_view text);

// Index just past the reference opened at s[open] ('(' or '{'), or npos
// when it is not closed.
size_t MatchClose(std::string_view s, size_t open);
// Function arguments split at the commas outside nested parentheses; the
// last of `max_args` takes the rest, commas included. Never empty.
std::vector<std::string_view> SplitArgs(std::string_view s, size_t max_args);

// `s` with each `$` doubled, so a simple variable's value can join a
// recursive one and expand to itself.
std::string EscapeDollars(std::string_view s);

}  // namespace modrace::make

#endif  // MODRACE_ANALYZER_MAKE_TEXT_H_

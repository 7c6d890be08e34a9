// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/make_text.h"

namespace modrace::make {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::vector<std::string_view> SplitWords(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsBlank(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !IsBlank(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

bool PatternMatch(std::string_view pattern, std::string_view word, std::string_view* stem) {
  const size_t pct = pattern.find('%');
  if (pct == std::string_view::npos) {
    if (stem) *stem = {};
    return pattern == word;
  }
  const std::string_view pre = pattern.substr(0, pct);
  const std::string_view post = pattern.substr(pct + 1);
  if (word.size() < pre.size() + post.size()) return false;
  if (!StartsWith(word, pre) || !EndsWith(word, post)) return false;
  if (stem) *stem = word.substr(pre.size(), word.size() - pre.size() - post.size());
  return true;
}

std::string PatternReplace(std::string_view replacement, std::string_view stem) {
  const size_t pct = replacement.find('%');
  if (pct == std::string_view::npos) return std::string(replacement);
  std::string out(replacement.substr(0, pct));
  out += stem;
  out += replacement.substr(pct + 1);
  return out;
}

std::string PatternSubstitute(std::string_view from, std::string_view to, std::string_view text) {
  std::vector<std::string> words;
  for (auto w : SplitWords(text)) {
    std::string_view stem;
    words.push_back(PatternMatch(from, w, &stem) ? PatternReplace(to, stem) : std::string(w));
  }
  return JoinWords(words);
}

size_t MatchClose(std::string_view s, size_t open) {
  const char o = s[open];
  const char c = o == '(' ? ')' : '}';
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == o) {
      ++depth;
    } else if (s[i] == c) {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

std::vector<std::string_view> SplitArgs(std::string_view s, size_t max_args) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '(' || c == '{') {
      ++depth;
    } else if ((c == ')' || c == '}') && depth > 0) {
      --depth;
    } else if (c == ',' && depth == 0 && out.size() + 1 < max_args) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

std::string EscapeDollars(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

}  // namespace modrace::make

// SPDX-License-Identifier: GPL-2.0-only
// Make's text and file-name functions (kbuild/make_functions.h).

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "kbuild/make_functions.h"
#include "kbuild/make_text.h"

namespace modrace::make {

namespace {

// `f` applied to each word of `text`; a word for which it returns nullopt
// is dropped.
template <typename F>
std::string EachWord(std::string_view text, F f) {
  std::vector<std::string> out;
  for (auto w : SplitWords(text)) {
    std::optional<std::string> r = f(w);
    if (r) out.push_back(std::move(*r));
  }
  return JoinWords(out);
}

// Each word of the second argument with the first around it.
std::string Affix(FunctionCall& call, bool prefix) {
  const auto a = call.Expanded(2);
  if (a.size() < 2) return std::string();
  return EachWord(a[1], [&](std::string_view w) -> std::optional<std::string> {
    return prefix ? a[0] + std::string(w) : std::string(w) + a[0];
  });
}

// The words of the second argument that match (keep) or do not match
// (drop) a pattern of the first.
std::string FilterWords(FunctionCall& call, bool keep) {
  const auto a = call.Expanded(2);
  if (a.size() < 2) return std::string();
  const auto patterns = SplitWords(a[0]);
  return EachWord(a[1], [&](std::string_view w) -> std::optional<std::string> {
    bool hit = false;
    for (auto p : patterns) hit = hit || PatternMatch(p, w, nullptr);
    return hit == keep ? std::optional<std::string>(w) : std::nullopt;
  });
}

std::vector<std::string> WordsOf(std::string_view text) {
  std::vector<std::string> out;
  for (auto w : SplitWords(text)) out.push_back(std::string(w));
  return out;
}

// The last '/' of a word, or npos.
size_t LastSlash(std::string_view w) { return w.rfind('/'); }

// The '.' that starts a word's suffix (after its last '/'), or npos.
size_t SuffixDot(std::string_view w) {
  const size_t slash = LastSlash(w);
  const size_t dot = w.rfind('.');
  return dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash)
             ? dot
             : std::string_view::npos;
}

}  // namespace

std::string AddPrefix(FunctionCall& call) { return Affix(call, true); }

std::string AddSuffix(FunctionCall& call) { return Affix(call, false); }

std::string Patsubst(FunctionCall& call) {
  const auto a = call.Expanded(3);
  if (a.size() < 3) return std::string();
  return PatternSubstitute(Trim(a[0]), Trim(a[1]), a[2]);
}

std::string Subst(FunctionCall& call) {
  const auto a = call.Expanded(3);
  if (a.size() < 3) return std::string();
  const std::string& from = a[0];
  const std::string& text = a[2];
  if (from.empty()) return text;
  std::string out;
  size_t pos = 0;
  for (size_t hit = text.find(from); hit != std::string::npos; hit = text.find(from, pos)) {
    out += text.substr(pos, hit - pos);
    out += a[1];
    pos = hit + from.size();
  }
  out += text.substr(pos);
  return out;
}

std::string Filter(FunctionCall& call) { return FilterWords(call, true); }

std::string FilterOut(FunctionCall& call) { return FilterWords(call, false); }

std::string Sort(FunctionCall& call) {
  std::vector<std::string> w = WordsOf(call.ExpandedWhole());
  std::sort(w.begin(), w.end());
  w.erase(std::unique(w.begin(), w.end()), w.end());
  return JoinWords(w);
}

std::string Strip(FunctionCall& call) { return JoinWords(WordsOf(call.ExpandedWhole())); }

std::string Findstring(FunctionCall& call) {
  const auto a = call.Expanded(2);
  if (a.size() < 2) return std::string();
  return a[1].find(a[0]) != std::string::npos ? a[0] : std::string();
}

std::string Words(FunctionCall& call) {
  return std::to_string(SplitWords(call.ExpandedWhole()).size());
}

std::string FirstWord(FunctionCall& call) {
  const std::string text = call.ExpandedWhole();
  const auto w = SplitWords(text);
  return w.empty() ? std::string() : std::string(w.front());
}

std::string LastWord(FunctionCall& call) {
  const std::string text = call.ExpandedWhole();
  const auto w = SplitWords(text);
  return w.empty() ? std::string() : std::string(w.back());
}

std::string Word(FunctionCall& call) {
  const auto a = call.Expanded(2);
  if (a.size() < 2) return std::string();
  const auto w = SplitWords(a[1]);
  const size_t k = static_cast<size_t>(std::atoi(a[0].c_str()));
  return k >= 1 && k <= w.size() ? std::string(w[k - 1]) : std::string();
}

std::string NotDir(FunctionCall& call) {
  return EachWord(call.ExpandedWhole(), [](std::string_view w) -> std::optional<std::string> {
    const size_t slash = LastSlash(w);
    return std::string(slash == std::string_view::npos ? w : w.substr(slash + 1));
  });
}

std::string Dir(FunctionCall& call) {
  return EachWord(call.ExpandedWhole(), [](std::string_view w) -> std::optional<std::string> {
    const size_t slash = LastSlash(w);
    return slash == std::string_view::npos ? "./" : std::string(w.substr(0, slash + 1));
  });
}

std::string Basename(FunctionCall& call) {
  return EachWord(call.ExpandedWhole(), [](std::string_view w) -> std::optional<std::string> {
    return std::string(w.substr(0, SuffixDot(w)));
  });
}

std::string Suffix(FunctionCall& call) {
  return EachWord(call.ExpandedWhole(), [](std::string_view w) -> std::optional<std::string> {
    const size_t dot = SuffixDot(w);
    return dot == std::string_view::npos ? std::nullopt : std::optional<std::string>(w.substr(dot));
  });
}

std::string PathUnchanged(FunctionCall& call) { return call.ExpandedWhole(); }

}  // namespace modrace::make

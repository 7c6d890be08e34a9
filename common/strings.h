// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_COMMON_STRINGS_H_
#define MODRACE_COMMON_STRINGS_H_

// String helpers every folder may use, the pure analyzer included: no
// syscalls, no allocation.

#include <string_view>

namespace modrace {

// Blank: space, tab, CR, LF, form feed, vertical tab.
constexpr bool IsBlankChar(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

// `s` without leading and trailing blanks.
inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlankChar(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlankChar(s.back())) s.remove_suffix(1);
  return s;
}

inline bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

inline bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace modrace

#endif  // MODRACE_COMMON_STRINGS_H_

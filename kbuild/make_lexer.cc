// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/make_lexer.h"

#include "kbuild/make_text.h"

namespace modrace::make {

namespace {

// `line`, trimmed, is `directive` alone or followed by a blank.
bool IsDirective(std::string_view line, std::string_view directive) {
  const std::string_view t = Trim(line);
  return StartsWith(t, directive) && (t.size() == directive.size() || IsBlank(t[directive.size()]));
}

// Odd: the line ends in a backslash that is not itself escaped.
size_t TrailingBackslashes(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && s[s.size() - 1 - n] == '\\') ++n;
  return n;
}

}  // namespace

bool LineReader::Next(LogicalLine* line) {
  if (pos_ >= content_.size()) return false;
  line->text.clear();
  line->number = number_ + 1;
  bool first_physical = true;
  for (;;) {
    size_t end = content_.find('\n', pos_);
    if (end == std::string_view::npos) end = content_.size();
    std::string_view phys = content_.substr(pos_, end - pos_);
    ++number_;
    pos_ = end + 1;
    if (!phys.empty() && phys.back() == '\r') phys.remove_suffix(1);
    if (first_physical) {
      line->starts_with_tab = !phys.empty() && phys.front() == '\t';
      first_physical = false;
    } else {
      while (!phys.empty() && IsBlank(phys.front())) phys.remove_prefix(1);
    }
    // A backslash on the last line of a file without a final newline stays.
    if (TrailingBackslashes(phys) % 2 == 1 && pos_ <= content_.size()) {
      phys.remove_suffix(1);
      while (!phys.empty() && IsBlank(phys.back())) phys.remove_suffix(1);
      line->text += phys;
      line->text += ' ';
      if (pos_ >= content_.size()) break;
      continue;
    }
    line->text += phys;
    break;
  }
  return true;
}

std::optional<std::string> ReadDefineBody(LineReader& lines) {
  std::string body;
  int depth = 1;
  LogicalLine line;
  while (lines.Next(&line)) {
    if (IsDirective(line.text, "endef")) {
      if (--depth == 0) return body;
    } else if (IsDirective(line.text, "define")) {
      ++depth;
    }
    if (!body.empty()) body += '\n';
    body += line.text;
  }
  return std::nullopt;
}

std::string_view DefineName(std::string_view rest) {
  std::string_view name = Trim(rest);
  for (std::string_view op : {"::=", ":=", "+=", "?=", "="}) {
    if (EndsWith(name, op)) {
      name.remove_suffix(op.size());
      break;
    }
  }
  return Trim(name);
}

void StripComment(std::string* line) {
  for (size_t i = 0; i < line->size(); ++i) {
    if ((*line)[i] == '#' && (i == 0 || (*line)[i - 1] != '\\')) {
      line->resize(i);
      return;
    }
  }
}

Keyword SplitKeyword(std::string_view statement) {
  size_t k = 0;
  while (k < statement.size() && !IsBlank(statement[k]) && statement[k] != '(') ++k;
  return {statement.substr(0, k), statement.substr(k)};
}

}  // namespace modrace::make

// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/job_names.h"

#include <vector>

#include "common/strings.h"

namespace modrace {

namespace {

constexpr size_t kShortLimit = 60;

// The shell script of `/bin/sh -c SCRIPT` (the cmdline's NULs are spaces),
// or the command line itself.
std::string_view Script(std::string_view recipe) {
  for (std::string_view shell : {"/bin/sh -c ", "sh -c ", "/bin/bash -c ", "bash -c "}) {
    if (recipe.substr(0, shell.size()) == shell) return recipe.substr(shell.size());
  }
  return recipe;
}

// The text of kbuild's `echo '  QUIET  target'` at the script's start.
bool QuietLine(std::string_view script, std::string* out) {
  size_t at = script.find("echo '  ");
  if (at == std::string_view::npos || at > 64) return false;
  at += 6;
  const size_t end = script.find('\'', at);
  if (end == std::string_view::npos) return false;
  std::string text;
  bool space = false;
  for (char c : Trim(script.substr(at, end - at))) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !text.empty()) text += ' ';
    space = false;
    text += c;
  }
  // kbuild aligns "CC [M]  path": keep one space between quiet and target.
  *out = text;
  return !text.empty();
}

// Commands of a script split at ; && || | and newlines outside quotes
// (for a name, not for running: no escapes).
std::vector<std::string_view> Commands(std::string_view script) {
  std::vector<std::string_view> out;
  size_t start = 0;
  char quote = 0;
  for (size_t i = 0; i <= script.size(); ++i) {
    const bool end = i == script.size();
    const char c = end ? ';' : script[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      if (!end) continue;
    } else if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    if (c == ';' || c == '&' || c == '|' || c == '\n') {
      std::string_view one = Trim(script.substr(start, i - start));
      while (!one.empty() && (one.front() == '{' || one.front() == '(')) {
        one = Trim(one.substr(1));
      }
      if (!one.empty()) out.push_back(one);
      start = i + 1;
    }
  }
  return out;
}

bool Skipped(std::string_view command) {
  for (std::string_view word : {"set ", "trap ", "exec ", ":", "true", "}", ")"}) {
    if (command.substr(0, word.size()) == word) return true;
  }
  return false;
}

std::string_view FirstWord(std::string_view s) {
  const size_t end = s.find(' ');
  return end == std::string_view::npos ? s : s.substr(0, end);
}

}  // namespace

std::string Shorten(std::string_view text, size_t n) {
  if (text.size() <= n) return std::string(text);
  return std::string(text.substr(0, n > 3 ? n - 3 : n)) + "...";
}

std::string JobShortName(std::string_view recipe) {
  const std::string_view script = Script(Trim(recipe));
  std::string quiet;
  if (QuietLine(script, &quiet)) return Shorten(quiet, kShortLimit);
  for (std::string_view command : Commands(script)) {
    if (Skipped(command)) continue;
    std::string_view program = FirstWord(command);
    const size_t slash = program.rfind('/');
    if (slash != std::string_view::npos) program.remove_prefix(slash + 1);
    const size_t o = command.find(" -o ");
    if (o != std::string_view::npos) {
      return Shorten(std::string(program) + " -o " + std::string(FirstWord(command.substr(o + 4))),
                     kShortLimit);
    }
    return Shorten(std::string(program) + std::string(command.substr(FirstWord(command).size())),
                   kShortLimit);
  }
  return Shorten(Trim(recipe), kShortLimit);
}

std::string MakeCall(std::string_view cmdline) {
  std::string_view rest = cmdline;
  std::string dash_c, dash_f;
  while (!rest.empty()) {
    const std::string_view word = FirstWord(rest);
    rest.remove_prefix(word.size());
    rest = Trim(rest);
    if (word.substr(0, 4) == "obj=") return std::string(word);
    if ((word == "-C" || word == "-f") && !rest.empty()) {
      const std::string value(FirstWord(rest));
      (word == "-C" ? dash_c : dash_f) = std::string(word) + " " + value;
    } else if (word.substr(0, 2) == "-C" && word.size() > 2) {
      dash_c = "-C " + std::string(word.substr(2));
    }
  }
  if (!dash_c.empty()) return dash_c;
  if (!dash_f.empty()) return dash_f;
  const std::string_view args = Trim(Trim(cmdline).substr(FirstWord(Trim(cmdline)).size()));
  return Shorten(args, kShortLimit);
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/kconfig.h"

#include "common/strings.h"

namespace modrace {

namespace {

struct Line {
  std::string_view text;  // without the newline
  int number = 0;
};

// Columns of leading blanks, tabs to multiples of 8 (as kconfig counts).
int Indent(std::string_view s) {
  int col = 0;
  for (char c : s) {
    if (c == ' ') {
      ++col;
    } else if (c == '\t') {
      col = (col / 8 + 1) * 8;
    } else {
      break;
    }
  }
  return col;
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

bool IsBlank(std::string_view s) { return Trim(s).empty(); }

// Splits the first blank-separated word off `s`.
std::string_view FirstWord(std::string_view s, std::string_view* rest) {
  s = TrimLeft(s);
  size_t end = 0;
  while (end < s.size() && s[end] != ' ' && s[end] != '\t') ++end;
  if (rest) *rest = Trim(s.substr(end));
  return s.substr(0, end);
}

std::optional<SymbolType> TypeKeyword(std::string_view word) {
  if (word == "bool" || word == "boolean" || word == "def_bool") return SymbolType::kBool;
  if (word == "tristate" || word == "def_tristate") return SymbolType::kTristate;
  if (word == "string") return SymbolType::kString;
  if (word == "int") return SymbolType::kInt;
  if (word == "hex") return SymbolType::kHex;
  return std::nullopt;
}

// The quoted (or bare) argument of a source line.
std::string Unquote(std::string_view s) {
  s = Trim(s);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    return std::string(s.substr(1, s.size() - 2));
  }
  return std::string(s);
}

bool IsSymbolChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// The symbols a `depends on` expression requires outright (see
// KconfigSymbol::requires_symbols); empty when it is not a plain
// conjunction of names.
std::vector<std::string> RequiredSymbols(std::string_view expr) {
  std::vector<std::string> out;
  const size_t comment = expr.find('#');
  if (comment != std::string_view::npos) expr = expr.substr(0, comment);
  for (char c : expr) {
    if (c == '|' || c == '!' || c == '=' || c == '<' || c == '>' || c == '$' || c == '"') {
      return {};
    }
  }
  size_t pos = 0;
  while (pos < expr.size()) {
    size_t end = expr.find("&&", pos);
    if (end == std::string_view::npos) end = expr.size();
    std::string_view term = expr.substr(pos, end - pos);
    pos = end + 2;
    std::string name;
    for (char c : term) {
      if (c == '(' || c == ')' || c == ' ' || c == '\t' || c == '\r') continue;
      if (!IsSymbolChar(c)) return {};
      name += c;
    }
    // y, m, n are constants, not symbols.
    if (name.empty() || name == "y" || name == "m" || name == "n") continue;
    out.push_back("CONFIG_" + name);
  }
  return out;
}

}  // namespace

std::string_view SymbolTypeName(SymbolType type) {
  switch (type) {
    case SymbolType::kBool: return "bool";
    case SymbolType::kTristate: return "tristate";
    case SymbolType::kString: return "string";
    case SymbolType::kInt: return "int";
    case SymbolType::kHex: return "hex";
    case SymbolType::kUnknown: break;
  }
  return "unknown";
}

namespace {

// Continuation lines are not joined: no type keyword starts one.
std::vector<Line> SplitLines(std::string_view content) {
  std::vector<Line> lines;
  size_t pos = 0;
  int number = 0;
  while (pos <= content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    ++number;
    lines.push_back({content.substr(pos, end - pos), number});
    pos = end + 1;
    if (end == content.size()) break;
  }
  return lines;
}

// Help text after the keyword at lines[i]: every following line indented
// deeper than the first text line's start, and blank lines, until a
// shallower line. Returns the index of the help's last line.
size_t SkipHelp(const std::vector<Line>& lines, size_t i) {
  size_t j = i + 1;
  while (j < lines.size() && IsBlank(lines[j].text)) ++j;
  if (j < lines.size()) {
    const int help_indent = Indent(lines[j].text);
    if (help_indent > Indent(lines[i].text)) {
      while (j < lines.size() &&
             (IsBlank(lines[j].text) || Indent(lines[j].text) >= help_indent)) {
        ++j;
      }
    }
  }
  return j - 1;
}

bool IsSourceKeyword(std::string_view w) {
  return w == "source" || w == "osource" || w == "rsource" || w == "orsource";
}

bool EndsEntry(std::string_view w) {
  return w == "menu" || w == "endmenu" || w == "if" || w == "endif" || w == "comment" ||
         w == "mainmenu";
}

// One pass over a file's lines: entries, choices, sources, types.
struct KconfigParser {
  KconfigFile file;
  bool in_choice = false;
  SymbolType choice_type = SymbolType::kUnknown;  // kUnknown: not known yet
  bool choice_before_first_member = false;
  KconfigSymbol* current = nullptr;  // the entry types apply to

  void Config(std::string_view rest, int number) {
    const std::string_view name = FirstWord(rest, nullptr);
    current = nullptr;
    if (name.empty()) return;
    file.symbols.push_back({"CONFIG_" + std::string(name), SymbolType::kUnknown, number, {}});
    current = &file.symbols.back();
    choice_before_first_member = false;
  }
  void Choice(bool begins) {
    in_choice = begins;
    choice_type = SymbolType::kUnknown;
    choice_before_first_member = begins;
    current = nullptr;
  }
  void Source(std::string_view word, std::string_view rest, int number) {
    KconfigSource src;
    src.path = Unquote(rest);
    src.optional = word == "osource" || word == "orsource";
    src.relative = word == "rsource" || word == "orsource";
    src.line = number;
    file.sources.push_back(std::move(src));
    current = nullptr;
  }
  void DependsOn(std::string_view rest) {
    std::string_view expr;
    if (FirstWord(rest, &expr) != "on") return;
    for (auto& r : RequiredSymbols(expr)) current->requires_symbols.push_back(std::move(r));
  }
  void Type(SymbolType t) {
    if (in_choice && choice_before_first_member && !current) {
      choice_type = t;
      return;
    }
    if (!current) return;
    if (in_choice) {
      // kconfig: a choice without a declared type takes its first
      // member's; a bool choice makes its members bool.
      if (choice_type == SymbolType::kUnknown) choice_type = t;
      if (choice_type != SymbolType::kTristate && t == SymbolType::kTristate) {
        t = SymbolType::kBool;
      }
    }
    if (current->type == SymbolType::kUnknown) current->type = t;
  }
};

}  // namespace

KconfigFile ParseKconfig(std::string_view content) {
  const std::vector<Line> lines = SplitLines(content);
  KconfigParser p;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view rest;
    const std::string_view word = FirstWord(lines[i].text, &rest);
    if (word.empty() || word.front() == '#') continue;
    if (word == "help" || word == "---help---") {
      i = SkipHelp(lines, i);
    } else if (word == "config" || word == "menuconfig") {
      p.Config(rest, lines[i].number);
    } else if (word == "choice" || word == "endchoice") {
      p.Choice(word == "choice");
    } else if (IsSourceKeyword(word)) {
      p.Source(word, rest, lines[i].number);
    } else if (word == "depends") {
      if (p.current) p.DependsOn(rest);
    } else if (EndsEntry(word)) {
      p.current = nullptr;
    } else if (auto type = TypeKeyword(word)) {
      p.Type(*type);
    }
  }
  return std::move(p.file);
}

std::optional<std::string> ExpandKconfigPath(std::string_view path,
                                             const std::map<std::string, std::string>& vars) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '$' && i + 1 < path.size() && (path[i + 1] == '(' || path[i + 1] == '{')) {
      const char close = path[i + 1] == '(' ? ')' : '}';
      const size_t end = path.find(close, i + 2);
      if (end == std::string_view::npos) return std::nullopt;
      auto it = vars.find(std::string(path.substr(i + 2, end - i - 2)));
      if (it == vars.end()) return std::nullopt;
      out += it->second;
      i = end;
    } else {
      out += path[i];
    }
  }
  return out;
}

void KconfigSymbols::Add(const KconfigFile& file) {
  for (const KconfigSymbol& s : file.symbols) {
    requires_[s.name].push_back(s.requires_symbols);
    auto [it, inserted] = types_.emplace(s.name, s.type);
    if (inserted) continue;
    if (it->second == SymbolType::kUnknown || s.type == SymbolType::kTristate) {
      if (s.type != SymbolType::kUnknown) it->second = s.type;
    }
  }
}

SymbolType KconfigSymbols::TypeOf(std::string_view symbol) const {
  auto it = types_.find(std::string(symbol));
  return it == types_.end() ? SymbolType::kUnknown : it->second;
}

bool KconfigSymbols::Defines(std::string_view symbol) const {
  return types_.count(std::string(symbol)) != 0;
}

bool KconfigSymbols::Unreachable(std::string_view symbol) const {
  auto it = requires_.find(std::string(symbol));
  if (it == requires_.end()) return false;
  for (const auto& entry : it->second) {
    bool blocked = false;
    for (const auto& r : entry) blocked = blocked || !Defines(r);
    if (!blocked) return false;
  }
  return true;
}

}  // namespace modrace

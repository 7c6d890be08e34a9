// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/dot_config.h"

#include <algorithm>

#include "common/strings.h"

namespace modrace {

namespace {

bool IsSymbolChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool IsSymbol(std::string_view s) {
  if (s.size() <= 7 || s.substr(0, 7) != "CONFIG_") return false;
  return std::all_of(s.begin(), s.end(), IsSymbolChar);
}

}  // namespace

DotConfig DotConfig::Parse(std::string_view content) {
  DotConfig config;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    const std::string_view line = Trim(content.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) continue;
    if (line.front() == '#') {
      // "# CONFIG_X is not set"
      constexpr std::string_view kNotSet = " is not set";
      std::string_view rest = Trim(line.substr(1));
      if (rest.size() > kNotSet.size() &&
          rest.substr(rest.size() - kNotSet.size()) == kNotSet) {
        const std::string_view symbol = rest.substr(0, rest.size() - kNotSet.size());
        if (IsSymbol(symbol)) {
          config.values_[std::string(symbol)] = "";
          continue;
        }
      }
      // Other comments are not data; they are not "ignored" lines.
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || !IsSymbol(Trim(line.substr(0, eq)))) {
      ++config.ignored_lines_;
      continue;
    }
    std::string value(Trim(line.substr(eq + 1)));
    if (value == "n") value.clear();
    config.values_[std::string(Trim(line.substr(0, eq)))] = std::move(value);
  }
  return config;
}

std::string DotConfig::Value(std::string_view symbol) const {
  auto it = values_.find(std::string(symbol));
  return it == values_.end() ? std::string() : it->second;
}

Tristate DotConfig::Get(std::string_view symbol) const {
  auto it = values_.find(std::string(symbol));
  if (it == values_.end()) return Tristate::kNo;
  if (it->second == "y") return Tristate::kYes;
  if (it->second == "m") return Tristate::kModule;
  return Tristate::kNo;
}

bool DotConfig::Mentions(std::string_view symbol) const {
  return values_.count(std::string(symbol)) != 0;
}

std::vector<std::string> DotConfig::ModuleSymbols() const {
  std::vector<std::string> out;
  for (const auto& [name, value] : values_) {
    if (value == "m") out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace modrace

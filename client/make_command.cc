// SPDX-License-Identifier: GPL-2.0-only
#include "client/make_command.h"

namespace modrace {

bool IsMake(const std::vector<std::string>& command) {
  if (command.empty()) return false;
  const std::string& a = command[0];
  const size_t slash = a.rfind('/');
  const std::string base = slash == std::string::npos ? a : a.substr(slash + 1);
  return base == "make" || base == "gmake";
}

std::string MakeDirectoryOf(const std::vector<std::string>& command) {
  std::string dir;
  for (size_t i = 0; i < command.size(); ++i) {
    const std::string& a = command[i];
    if ((a == "-C" || a == "--directory") && i + 1 < command.size()) {
      dir = command[++i];
    } else if (a.rfind("-C", 0) == 0 && a.size() > 2) {
      dir = a.substr(2);
    } else if (a.rfind("--directory=", 0) == 0) {
      dir = a.substr(12);
    }
  }
  return dir;
}

std::string MakeVariableOf(const std::vector<std::string>& command, const std::string& name) {
  const std::string prefix = name + "=";
  std::string value;
  for (const std::string& a : command) {
    if (a.rfind(prefix, 0) == 0) value = a.substr(prefix.size());
  }
  return value;
}

}  // namespace modrace

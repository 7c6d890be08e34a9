// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/source_util.h"

#include <stdio.h>

namespace modrace {

long ReadProcLong(const char* path) {
  FILE* f = fopen(path, "re");
  if (f == nullptr) return -1;
  long v = -1;
  if (fscanf(f, "%ld", &v) != 1) v = -1;
  fclose(f);
  return v;
}

bool RelativeTo(const std::string& root, const std::string& abs, std::string* rel) {
  if (abs == root) {
    rel->clear();
    return true;
  }
  if (root == "/") {
    if (abs.size() < 2 || abs[0] != '/') return false;
    *rel = abs.substr(1);
    return true;
  }
  if (abs.size() > root.size() && abs.compare(0, root.size(), root) == 0 &&
      abs[root.size()] == '/') {
    *rel = abs.substr(root.size() + 1);
    return true;
  }
  return false;
}

std::string Join(const std::string& dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  std::string out;
  out.reserve(dir.size() + 1 + name.size());
  out += dir;
  out += '/';
  out += name;
  return out;
}

}  // namespace modrace

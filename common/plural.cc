// SPDX-License-Identifier: GPL-2.0-only
#include "common/plural.h"

namespace modrace {

std::string Counted(uint64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string Times(uint64_t n) {
  if (n == 0) return "never";
  if (n == 1) return "once";
  if (n == 2) return "twice";
  return std::to_string(n) + " times";
}

}  // namespace modrace

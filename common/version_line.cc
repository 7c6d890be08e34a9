// SPDX-License-Identifier: GPL-2.0-only
#include "common/build_stamp.h"

#include "proto/version.h"

namespace modrace {

std::string VersionLine(const char* program) {
  return std::string(program) + " " + kModraceVersion + " (commit " + BuildCommit() + ")";
}

}  // namespace modrace

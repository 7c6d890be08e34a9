// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_PACKAGING_BUILD_STAMP_H_
#define MODRACE_PACKAGING_BUILD_STAMP_H_

#include <string>

namespace modrace {

// The commit the binary was built from: a short hash, "-dirty" appended when
// tracked files differed from it, or "unknown" when the build was not stamped
// (a plain `bazel build`, or a tree without .git). Stamped builds:
// `bazel build --config=release` (packaging/build_status, scripts/package).
const char* BuildCommit();

// The --version line of a modrace binary: "PROGRAM RELEASE (commit HASH)",
// RELEASE from proto/version.h.
std::string VersionLine(const char* program);

}  // namespace modrace

#endif  // MODRACE_PACKAGING_BUILD_STAMP_H_

// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/make_include.h"

#include <algorithm>

namespace modrace::make {

namespace {

constexpr size_t kMaxIncludeDepth = 16;
// Includes read in one evaluation: a file that includes two others that do
// the same would otherwise cost 2^depth evaluations.
constexpr size_t kMaxIncludes = 100;

}  // namespace

std::optional<std::string> IncludeStack::Open(const std::string& path, bool optional,
                                              const KbuildOrigin& origin,
                                              std::vector<std::string>* problems) {
  const std::string where = origin.file + ":" + std::to_string(origin.line) + ": ";
  if (std::find(open_.begin(), open_.end(), path) != open_.end()) {
    problems->push_back(where + "include loop: " + path + " includes itself; not read again");
    return std::nullopt;
  }
  if (read_ >= kMaxIncludes) {
    problems->push_back(where + "more than " + std::to_string(kMaxIncludes) + " includes; " + path +
                        " not read");
    return std::nullopt;
  }
  std::optional<std::string> content;
  if (reader_ && open_.size() < kMaxIncludeDepth) content = reader_(path);
  if (!content) {
    if (!optional) problems->push_back(where + "could not read included " + path);
    return std::nullopt;
  }
  ++read_;
  open_.push_back(path);
  return content;
}

}  // namespace modrace::make

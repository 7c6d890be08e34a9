// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the .mod parsers. The first line of the input is the file name
// (NAME of .tmp_versions/NAME.mod); the rest is the content, given to the
// old-style parser, the 5.3+ parser and the content checker.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "analyzer/mod_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modrace;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nl = input.find('\n');
  const std::string_view name = nl == std::string_view::npos ? input.substr(0, 0)
                                                              : input.substr(0, nl);
  const std::string_view content =
      nl == std::string_view::npos ? input : input.substr(nl + 1);
  const OldModRecord old_record = ParseOldModRecord(content, name);
  const NewModRecord new_record = ParseNewModRecord(content);
  const ContentProblems problems = CheckTextContent(content);
  if (problems.nul_bytes > content.size()) abort();
  if (problems.nul_bytes > 0 && content[problems.first_nul_offset] != '\0') abort();
  size_t lines = 0;
  for (std::string_view l : SplitLines(content)) {
    if (l.find('\n') != std::string_view::npos) abort();
    ++lines;
  }
  if (lines > content.size()) abort();
  (void)old_record;
  (void)new_record;
  return 0;
}

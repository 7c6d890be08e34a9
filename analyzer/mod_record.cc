// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/mod_record.h"

#include "analyzer/artifact_path.h"
#include "common/strings.h"

namespace modrace {

namespace {

// Splits a line on blanks.
std::vector<std::string> Words(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.emplace_back(line.substr(start, i - start));
  }
  return out;
}

// Text with the NULs dropped, so the lines around a hole still parse.
std::string WithoutNuls(std::string_view content) {
  std::string out;
  out.reserve(content.size());
  for (char c : content) {
    if (c != '\0') out.push_back(c);
  }
  return out;
}

}  // namespace

std::vector<std::string_view> SplitLines(std::string_view content) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < content.size()) {
    const size_t nl = content.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(content.substr(start));
      break;
    }
    lines.push_back(content.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

ContentProblems CheckTextContent(std::string_view content) {
  ContentProblems p;
  size_t controls = 0;
  for (size_t i = 0; i < content.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(content[i]);
    if (c == 0) {
      if (p.nul_bytes == 0) p.first_nul_offset = i;
      ++p.nul_bytes;
    } else if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
      ++controls;
    }
  }
  if (p.nul_bytes > 0) {
    p.notes.push_back(std::to_string(p.nul_bytes) + " NUL bytes from offset " +
                      std::to_string(p.first_nul_offset) +
                      ": a hole left by two writers at different offsets");
  }
  if (controls > 0) {
    p.non_text = true;
    p.notes.push_back(std::to_string(controls) + " control bytes in a text artifact");
  }
  p.cut_line = !content.empty() && content.back() != '\n';
  return p;
}

OldModRecord ParseOldModRecord(std::string_view content, std::string_view file_name) {
  OldModRecord r;
  r.problems = CheckTextContent(content);
  const std::string text = WithoutNuls(content);
  std::vector<std::string_view> lines = SplitLines(text);
  // A cut last line may be a writer caught mid-write: it proves nothing, so
  // it is left out of the structural checks.
  if (r.problems.cut_line && !lines.empty()) lines.pop_back();
  if (lines.empty() && r.problems.cut_line) return r;
  // Lines left empty by the hole are not lines kbuild wrote.
  std::vector<std::string_view> kept;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i < 3 || !lines[i].empty()) kept.push_back(lines[i]);
  }
  // Empty: a writer truncated the file and has not written yet when it was
  // read. Like a cut line, that proves nothing by itself.
  if (kept.empty()) return r;
  r.ko_path = std::string(kept[0]);
  if (!EndsWith(r.ko_path, ".ko")) {
    r.problems.notes.push_back("line 1 is not a .ko path: '" + r.ko_path.substr(0, 200) + "'");
  } else if (!file_name.empty() && ModuleNameOf(r.ko_path) != file_name) {
    r.problems.notes.push_back("line 1 names module '" + std::string(ModuleNameOf(r.ko_path)) +
                               "' in a file named after '" + std::string(file_name) + "'");
  }
  if (kept.size() > 1) r.objects = Words(kept[1]);
  if (kept.size() > 2) r.undefined_symbols = Words(kept[2]);
  if (kept.size() > 3) {
    r.problems.notes.push_back(std::to_string(kept.size()) +
                               " lines where kbuild writes 3: another writer's lines follow");
  }
  const std::string dir(DirOf(r.ko_path));
  for (const auto& obj : r.objects) {
    const bool inside =
        dir.empty() ? obj[0] != '/' : obj.compare(0, dir.size() + 1, dir + "/") == 0;
    if (!inside) {
      r.problems.notes.push_back("objects of two modules: line 1 is " + r.ko_path +
                                 " but line 2 lists " + obj);
      break;
    }
  }
  return r;
}

NewModRecord ParseNewModRecord(std::string_view content) {
  NewModRecord r;
  r.problems = CheckTextContent(content);
  const std::string text = WithoutNuls(content);
  for (std::string_view line : SplitLines(text)) {
    for (auto& word : Words(line)) {
      // 5.3-6.0 put undefined symbols on line 2; only objects are kept.
      if (EndsWith(word, ".o")) r.objects.push_back(std::move(word));
    }
  }
  return r;
}

}  // namespace modrace

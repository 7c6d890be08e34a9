// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/replay.h"

#include "proto/fs_event.h"
#include "proto/version.h"

namespace modrace {

ReplayResult ReplayEvents(std::string_view text, Analyzer* analyzer) {
  ReplayResult r;
  size_t line_no = 0;
  uint64_t last_seq = 0;
  size_t start = 0;
  FsEvent event;
  EventLineReader reader;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    std::string error;
    if (line.size() > kMaxLineBytes) {
      error = "line longer than " + std::to_string(kMaxLineBytes) + " bytes";
    } else if (!reader.Parse(line, &event, &error)) {
      // error set by the parser
    } else if (event.seq <= last_seq) {
      error = "seq " + std::to_string(event.seq) + " does not follow seq " +
              std::to_string(last_seq);
    }
    if (!error.empty()) {
      r.ok = false;
      r.bad_line = line_no;
      r.error = "line " + std::to_string(line_no) + ": " + error;
      return r;
    }
    last_seq = event.seq;
    analyzer->Consume(event);
    ++r.events;
  }
  return r;
}

}  // namespace modrace

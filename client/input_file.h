// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_INPUT_FILE_H_
#define MODRACE_CLIENT_INPUT_FILE_H_

// The files `report --from` and `replay` read: a saved report (one JSON
// object, schema modrace.report/1) and a recording (one JSON event per
// line, from modraced --record). Each error says what the file is and what
// was expected, in modrace's words, never the JSON library's: a recording
// given to `report` is named as one ("use modrace replay"), a report given
// to `replay` too, and a file that cannot be read says why (strerror).

#include <cstddef>
#include <string>
#include <string_view>

#include "proto/report.h"

namespace modrace {

enum class InputKind { kEmpty, kReport, kRecording, kOtherJson, kNotJson };

// What `text` looks like: a report (an object with a modrace.report
// schema), a recording (its first line an object with "seq" and "kind"),
// other JSON, or not JSON at all.
InputKind ClassifyInput(std::string_view text);

// The most ReadInputFile holds in memory: 1 GiB. The file is read whole;
// the recordings in tests/scenarios are a few hundred KiB and a report is
// smaller than its recording, so this is thousands of times what a real
// input needs, while /dev/zero or a runaway file stops with an error
// instead of exhausting memory.
inline constexpr size_t kInputFileLimit = size_t{1} << 30;

// The whole file, or standard input for "-"; false with "cannot read PATH:
// REASON". Only regular files (and "-") are read: a directory, a FIFO, a
// device or a socket is refused up front, so a FIFO nobody writes never
// hangs; more than `limit` bytes is an error naming the limit.
bool ReadInputFile(const std::string& path, std::string* text, std::string* error,
                   size_t limit = kInputFileLimit);

// A saved report from `path`; false with an error naming the file, what it
// is and what was expected.
bool LoadReportFile(const std::string& path, Report* report, std::string* error);

// A JSON library message without its "[json.exception.NAME.ID] " tag.
std::string PlainJsonError(std::string_view what);

}  // namespace modrace

#endif  // MODRACE_CLIENT_INPUT_FILE_H_

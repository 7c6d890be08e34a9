#ifndef MODRACE_CLIENT_INPUT_FILE_H_
#define MODRACE_CLIENT_INPUT_FILE_H_

// The files `report --from` and `replay` read: a saved report (one JSON
// object, schema modrace.report/1) and a recording (one JSON event per
// line, from modraced --record). Each error says what the file is and what
// was expected, in modrace's words, never the JSON library's: a recording
// given to `report` is named as one ("use modrace replay"), a report given
// to `replay` too, and a file that cannot be read says why (strerror).

#include <string>
#include <string_view>

#include "proto/report.h"

namespace modrace {

enum class InputKind { kEmpty, kReport, kRecording, kOtherJson, kNotJson };

// What `text` looks like: a report (an object with a modrace.report
// schema), a recording (its first line an object with "seq" and "kind"),
// other JSON, or not JSON at all.
InputKind ClassifyInput(std::string_view text);

// The whole file; false with "cannot read PATH: REASON".
bool ReadInputFile(const std::string& path, std::string* text, std::string* error);

// A saved report from `path`; false with an error naming the file, what it
// is and what was expected.
bool LoadReportFile(const std::string& path, Report* report, std::string* error);

// A JSON library message without its "[json.exception.NAME.ID] " tag.
std::string PlainJsonError(std::string_view what);

}  // namespace modrace

#endif  // MODRACE_CLIENT_INPUT_FILE_H_

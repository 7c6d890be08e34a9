// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_DISPLAY_TEXT_H_
#define MODRACE_CLIENT_DISPLAY_TEXT_H_

// Paths, module names and file contents are bytes; the CI formats (JUnit
// XML, SARIF, GitHub workflow commands) carry text. DisplayText is the one
// lossy step between them, shared so every format shows the same thing.
// The JSON report keeps the exact bytes (proto/bytes_json.h).

#include <string>
#include <string_view>

namespace modrace {

// Returns valid UTF-8 that every CI format can carry: well-formed UTF-8
// passes through; each byte that is not part of well-formed UTF-8, each C0
// control other than tab, newline and carriage return, and each byte of
// U+FFFE and U+FFFF (not characters in XML 1.0) becomes the four characters
// `\xNN` (lowercase hex). The result never holds NUL, ESC or a byte XML 1.0
// rejects. A literal `\x41` in the input also reads `\x41`: that is the
// lossy part, and why the JSON report stays the record.
std::string DisplayText(std::string_view bytes);

// DisplayText on one terminal line: a line break inside (a path may hold
// one) reads `\n`, a carriage return `\r`. For paths in text meant for
// people: reports, status, messages.
std::string DisplayLine(std::string_view bytes);

// An excerpt of file content for a person: DisplayText of at most
// `max_bytes` of `bytes` (never splitting a well-formed character), where a
// run of four or more identical escaped bytes reads `\x00{256 times}` (a
// torn file's hole of NULs stays one short line), plus "... (N more bytes)"
// when cut.
std::string DisplayExcerpt(std::string_view bytes, size_t max_bytes);

}  // namespace modrace

#endif  // MODRACE_CLIENT_DISPLAY_TEXT_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_PROTO_BYTES_JSON_H_
#define MODRACE_PROTO_BYTES_JSON_H_

// File contents and paths are bytes, JSON strings are UTF-8. These helpers
// carry arbitrary bytes through JSON without loss: valid UTF-8 goes as a
// plain string, anything else as lowercase hex under a `_hex` key.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace modrace {

bool IsValidUtf8(std::string_view s);
// Length of the well-formed UTF-8 sequence at s[i] (i < s.size()) and its
// code point in *cp, or 0 when s[i] does not start one (RFC 3629: no
// overlongs, no surrogates, nothing past U+10FFFF).
size_t Utf8SequenceAt(std::string_view s, size_t i, unsigned int* cp);
std::string HexEncode(std::string_view bytes);
// Returns false (and leaves *out unspecified) on odd length or a non-hex digit.
bool HexDecode(std::string_view hex, std::string* out);

// Writes `bytes` to j[key], or to j[key + "_hex"] when not valid UTF-8.
void PutBytes(nlohmann::json& j, const std::string& key, std::string_view bytes);
// Reads what PutBytes wrote. Returns false when neither key is present;
// throws std::exception (nlohmann's or std::runtime_error) when malformed.
bool GetBytes(const nlohmann::json& j, const std::string& key, std::string* out);

// Deepest nesting of arrays and objects a peer's line may hold. nlohmann
// parses any depth without recursion, but copying, dumping and converting
// a value recurse: a 1 MiB line of '[' would overflow the stack.
inline constexpr int kMaxJsonDepth = 64;

// True when no array or object in `text` nests deeper than `max_depth`
// (strings and their escapes are skipped; the text need not be valid JSON).
// Parsers of untrusted lines call it before nlohmann::json::parse.
bool JsonDepthWithin(std::string_view text, int max_depth);

// Serializes one JSON value on one line; invalid UTF-8 never throws (it is
// replaced), since every byte string already went through PutBytes.
std::string DumpLine(const nlohmann::json& j);

}  // namespace modrace

#endif  // MODRACE_PROTO_BYTES_JSON_H_

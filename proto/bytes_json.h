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
std::string HexEncode(std::string_view bytes);
// Returns false (and leaves *out unspecified) on odd length or a non-hex digit.
bool HexDecode(std::string_view hex, std::string* out);

// Writes `bytes` to j[key], or to j[key + "_hex"] when not valid UTF-8.
void PutBytes(nlohmann::json& j, const std::string& key, std::string_view bytes);
// Reads what PutBytes wrote. Returns false when neither key is present;
// throws std::exception (nlohmann's or std::runtime_error) when malformed.
bool GetBytes(const nlohmann::json& j, const std::string& key, std::string* out);

// Serializes one JSON value on one line; invalid UTF-8 never throws (it is
// replaced), since every byte string already went through PutBytes.
std::string DumpLine(const nlohmann::json& j);

}  // namespace modrace

#endif  // MODRACE_PROTO_BYTES_JSON_H_

// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes ParseEventLine (one recorded FsEvent line) and checks the round
// trip: an event that parses serializes to a line that parses to the same
// serialization (paths and contents with any bytes survive via `_hex`).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/bytes_json.h"
#include "proto/fs_event.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modrace;
  FsEvent event;
  std::string error;
  if (!ParseEventLine(std::string_view(reinterpret_cast<const char*>(data), size), &event,
                      &error)) {
    if (error.empty()) abort();  // a failure always says why
    return 0;
  }
  const std::string line = DumpLine(nlohmann::json(event));
  if (line.find('\n') != std::string::npos) abort();  // one event per line
  FsEvent back;
  if (!ParseEventLine(line, &back, &error)) abort();
  if (back.path != event.path || back.content != event.content || back.seq != event.seq) abort();
  if (DumpLine(nlohmann::json(back)) != line) abort();
  return 0;
}

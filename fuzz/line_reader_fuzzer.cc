// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes the daemon's LineReader (framing of client requests). The first
// byte picks the line limit (1..256); the rest is fed in chunks whose sizes
// come from the data itself, as a socket would deliver them. Checks the
// contract: lines hold no '\n', never exceed the limit, the buffer stays
// within limit + 1 whatever arrives, and a reader whose callback stops now
// and then (the server pausing a client over its output bound) and is fed
// the unconsumed rest again gives exactly the lines of one that never stops.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/line_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modrace;
  if (size == 0) return 0;
  const size_t max_line = 1 + data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  LineReader straight(max_line), pausing(max_line);
  std::vector<std::string> lines_a, lines_b;
  size_t too_long_a = 0, too_long_b = 0;
  auto check = [&](std::string_view line) {
    if (line.size() > max_line || line.find('\n') != std::string_view::npos) abort();
  };
  auto on_line_a = [&](std::string_view line) {
    check(line);
    lines_a.emplace_back(line);
    return true;
  };
  auto on_too_long_a = [&] {
    ++too_long_a;
    return true;
  };
  // Stops after every line whose length is a multiple of 3.
  auto on_line_b = [&](std::string_view line) {
    check(line);
    lines_b.emplace_back(line);
    return line.size() % 3 != 0;
  };
  auto on_too_long_b = [&] {
    ++too_long_b;
    return too_long_b % 2 == 0;
  };

  std::string_view rest = input;
  size_t i = 0;
  while (!rest.empty()) {
    const size_t chunk = 1 + (static_cast<unsigned char>(rest[0]) * 7 + i++) % 97;
    std::string_view piece = rest.substr(0, chunk);
    rest.remove_prefix(piece.size());
    if (!straight.Feed(piece, on_line_a, on_too_long_a)) abort();
    if (straight.buffered() > max_line + 1) abort();
    while (!piece.empty()) {
      size_t consumed = 0;
      const bool went_on = pausing.Feed(piece, on_line_b, on_too_long_b, &consumed);
      if (consumed > piece.size() || (went_on && consumed != piece.size())) abort();
      piece.remove_prefix(consumed);
      if (pausing.buffered() > max_line + 1) abort();
    }
  }
  if (lines_a != lines_b || too_long_a != too_long_b) abort();
  if (lines_a.size() + too_long_a > size) abort();
  return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
#include "client/elapsed_time.h"

#include <stdio.h>

#include "common/clock.h"

namespace modrace {

double NowSeconds() { return static_cast<double>(NowNs(CLOCK_MONOTONIC)) / 1e9; }

std::string FormatElapsed(double seconds) {
  char buf[64];
  if (seconds < 60) {
    snprintf(buf, sizeof(buf), "%.1f s", seconds);
  } else {
    const long s = static_cast<long>(seconds);
    snprintf(buf, sizeof(buf), "%ld min %02ld s", s / 60, s % 60);
  }
  return buf;
}

}  // namespace modrace

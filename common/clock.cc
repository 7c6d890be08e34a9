// SPDX-License-Identifier: GPL-2.0-only
#include "common/clock.h"

namespace modrace {

int64_t NowNs(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

int64_t NowMs() { return NowNs(CLOCK_MONOTONIC) / 1000000; }

}  // namespace modrace

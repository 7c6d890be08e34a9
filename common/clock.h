// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_COMMON_CLOCK_H_
#define MODRACE_COMMON_CLOCK_H_

// The clocks the daemon and the client read. Not for analyzer/: time comes
// to it in the event (docs/architecture.md, Folders).

#include <time.h>

#include <cstdint>

namespace modrace {

// Nanoseconds on `clock` (event times are CLOCK_REALTIME).
int64_t NowNs(clockid_t clock = CLOCK_REALTIME);
// Milliseconds on CLOCK_MONOTONIC: for deadlines and timeouts.
int64_t NowMs();

}  // namespace modrace

#endif  // MODRACE_COMMON_CLOCK_H_

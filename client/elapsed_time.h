// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_ELAPSED_TIME_H_
#define MODRACE_CLIENT_ELAPSED_TIME_H_

// Elapsed times for people. (`run` and `repro` draw no progress line: the
// build owns the terminal while it runs, and a line drawn over its output
// would mix into a partial line of it.)

#include <string>

namespace modrace {

// Seconds on the monotonic clock.
double NowSeconds();

// "12.3 s", "4 min 05 s".
std::string FormatElapsed(double seconds);

}  // namespace modrace

#endif  // MODRACE_CLIENT_ELAPSED_TIME_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_TEST_LOOP_H_
#define MODRACE_DAEMON_TEST_LOOP_H_

// Test helpers around a libuv loop: run it until a condition holds (bounded
// by a timeout, never a sleep standing in for a flush), and close it
// cleanly at the end of a test.

#include <functional>

#include <uv.h>

namespace modrace {

// Runs `loop` until done() is true or timeout_ms passed. Returns done().
bool RunUntil(uv_loop_t* loop, const std::function<bool()>& done, int timeout_ms = 10000);

// Runs the loop until no handle is left, then closes it. Returns true when
// uv_loop_close succeeded (every handle was closed).
bool DrainAndCloseLoop(uv_loop_t* loop);

}  // namespace modrace

#endif  // MODRACE_DAEMON_TEST_LOOP_H_

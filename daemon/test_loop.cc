// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/test_loop.h"

namespace modrace {

bool RunUntil(uv_loop_t* loop, const std::function<bool()>& done, int timeout_ms) {
  if (done()) return true;
  struct State {
    bool fired = false;
  };
  auto* state = new State;
  auto* timer = new uv_timer_t;
  uv_timer_init(loop, timer);
  timer->data = state;
  uv_timer_start(
      timer, [](uv_timer_t* t) { static_cast<State*>(t->data)->fired = true; },
      static_cast<uint64_t>(timeout_ms), 0);
  while (!done() && !state->fired) uv_run(loop, UV_RUN_ONCE);
  uv_timer_stop(timer);
  uv_close(reinterpret_cast<uv_handle_t*>(timer), [](uv_handle_t* h) {
    delete static_cast<State*>(h->data);
    delete reinterpret_cast<uv_timer_t*>(h);
  });
  uv_run(loop, UV_RUN_NOWAIT);
  return done();
}

bool DrainAndCloseLoop(uv_loop_t* loop) {
  uv_run(loop, UV_RUN_DEFAULT);
  return uv_loop_close(loop) == 0;
}

}  // namespace modrace

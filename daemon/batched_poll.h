#ifndef MODRACE_DAEMON_BATCHED_POLL_H_
#define MODRACE_DAEMON_BATCHED_POLL_H_

// BatchedPoll: drives the read of an event source's non-blocking fd from
// the libuv loop. With delay_ms 0 it calls `on_readable` as soon as the fd
// turns readable; otherwise it pauses polling and calls it delay_ms later,
// so the kernel queue fills and one wakeup and one read() carry hundreds of
// events instead of one (per-wakeup kernel work dominated the sources' CPU
// under a burst: bench/RESULTS.md). Close() lets go of the fd the way
// ClosePolledFd does.

#include <functional>
#include <string>

#include <uv.h>

namespace modrace {

class BatchedPoll {
 public:
  BatchedPoll(uv_loop_t* loop, int delay_ms, std::function<void()> on_readable);
  ~BatchedPoll();
  BatchedPoll(const BatchedPoll&) = delete;
  BatchedPoll& operator=(const BatchedPoll&) = delete;

  // Starts polling `fd` (which stays the caller's until Close). False with
  // *error when libuv refuses it.
  bool Start(int fd, std::string* error);
  // Stops, and closes *fd once libuv no longer uses it; sets *fd to -1.
  // Idempotent; closes a bare fd when Start never succeeded.
  void Close(int* fd);

 private:
  static void OnPoll(uv_poll_t* handle, int status, int events);
  static void OnTimer(uv_timer_t* timer);

  uv_loop_t* loop_;
  int delay_ms_;
  std::function<void()> on_readable_;
  uv_poll_t* poll_ = nullptr;    // owned until its close callback
  uv_timer_t* timer_ = nullptr;  // likewise; runs while polling is paused
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_BATCHED_POLL_H_

#ifndef MODRACE_DAEMON_BATCHED_POLL_H_
#define MODRACE_DAEMON_BATCHED_POLL_H_

// BatchedPoll: drives the read of an event source's non-blocking fd from
// the libuv loop. With delay_ms 0 it calls `on_readable` as soon as the fd
// turns readable; otherwise it pauses polling and calls it delay_ms later,
// so the kernel queue fills and one wakeup and one read() carry hundreds of
// events instead of one (per-wakeup kernel work dominated the sources' CPU
// under a burst: bench/RESULTS.md).
//
// While the queue stays busy (events queued again when a read is done, as
// through a whole kernel build) it stays on its timer and reads every
// kBusyDelayMs, without going back to polling: each return to the poll
// costs two epoll_ctl calls and a wakeup per batch, which on a build of
// mostly header reads was most of the daemon's CPU (bench/RESULTS-intree.md).
// The first event after a quiet spell is still read delay_ms after it
// came, so a lone race is reported as fast as before; in a busy build a
// finding waits at most kBusyDelayMs more. Close() lets go of the fd the
// way ClosePolledFd does.

#include <functional>
#include <string>

#include <uv.h>

namespace modrace {

class BatchedPoll {
 public:
  static constexpr int kBusyDelayMs = 5;

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

  // True while the fd has bytes queued (FIONREAD), after a read.
  bool StillBusy() const;

  uv_loop_t* loop_;
  int delay_ms_;
  int fd_ = -1;
  std::function<void()> on_readable_;
  uv_poll_t* poll_ = nullptr;    // owned until its close callback
  uv_timer_t* timer_ = nullptr;  // likewise; runs while polling is paused
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_BATCHED_POLL_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_BATCHED_POLL_H_
#define MODRACE_DAEMON_BATCHED_POLL_H_

// BatchedPoll: drives the read of an event source's non-blocking fd from
// the libuv loop. With delay_ms 0 it calls `on_readable` as soon as the fd
// turns readable; otherwise it pauses polling and calls it delay_ms later,
// so the kernel queue fills and one wakeup and one read() carry hundreds of
// events instead of one (per-wakeup kernel work dominated the sources' CPU
// under a burst: bench/RESULTS.md).
//
// While the fd stays busy it stays on its timer and reads every
// kBusyDelayMs: a tick that finds events queued (FIONREAD) reads them and
// sets the next tick; a tick that finds none goes back to polling. Each
// return to the poll costs two epoll_ctl calls and a second wakeup per
// batch, and on a kernel build (events every few ms, mostly header reads)
// wakeups were about a third of the daemon's CPU
// (bench/RESULTS-intree.md). The first event after a quiet spell is still
// read delay_ms after it came, so a lone race is reported as fast as
// before; in a busy build a finding waits at most kBusyDelayMs more.
// Close() lets go of the fd the way ClosePolledFd does.

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include <uv.h>

namespace modrace {

class BatchedPoll {
 public:
  static constexpr int kBusyDelayMs = 10;

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

  // True while the fd has bytes queued (FIONREAD).
  bool Queued() const;

  uv_loop_t* loop_;
  int delay_ms_;
  int fd_ = -1;
  bool busy_ = false;  // on the timer since the last read
  std::function<void()> on_readable_;
  uv_poll_t* poll_ = nullptr;    // owned until its close callback
  uv_timer_t* timer_ = nullptr;  // likewise; runs while polling is paused
};

// What an on_readable callback does with the fd: read() it into `buffer`
// and hand each read's bytes (whole kernel records: the buffer is at least
// a record long) to handle(n), at most kReadsPerCallback times, so one busy
// tree cannot starve the socket clients sharing the loop. Stops early once
// the fd is drained (EAGAIN), at end of file, on an error, or when handle()
// closed it (`fd` became -1).
inline constexpr int kReadsPerCallback = 8;
void ReadRounds(const int& fd, std::vector<char>* buffer,
                const std::function<void(size_t n)>& handle);

}  // namespace modrace

#endif  // MODRACE_DAEMON_BATCHED_POLL_H_

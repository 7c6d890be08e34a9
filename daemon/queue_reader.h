// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_QUEUE_READER_H_
#define MODRACE_DAEMON_QUEUE_READER_H_

// QueueReader: empties an event source's kernel queue (an inotify or
// fanotify fd) on a thread of its own, so that the queue is read while the
// loop is busy with analysis or a directory walk (docs/architecture.md,
// Reading the queue). The kernel queue is small (fs.inotify.max_queued_events,
// 16384 by default) and the daemon's own listing of a tree of 5,000
// directories alone queues more events than that: read only between loop
// turns, it overflowed during every start-up and every rescan, and each
// rescan fed the next.
//
// The thread only moves bytes: it read()s whole kernel records, appends
// them to chunks of at most chunk_bytes and wakes the loop (uv_async_t).
// The loop hands the chunks, oldest first and in kernel order, to
// on_chunk, at most kChunksPerTurn per turn so that socket clients sharing
// the loop get theirs, then calls on_batch. Everything else (parsing,
// paths, the watch table) stays on the loop.
//
// Batching as BatchedPoll: the first event after a quiet spell is read
// delay_ms after it came; while events keep coming the thread reads every
// kBusyDelayMs, so one read() and one wakeup carry many events.
//
// Bounded: when max_queued_bytes are waiting for the loop (one read more
// at most), the thread stops reading until the loop has taken some; the kernel queue then fills and
// overflows as it would without the thread, and the source's overflow
// handling says so. Nothing is dropped here.

#include <sys/types.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <uv.h>

namespace modrace {

struct QueueReaderOptions {
  int delay_ms = 1;
  size_t chunk_bytes = 256 * 1024;  // also the read() size: at least one record
  size_t max_queued_bytes = 16 * 1024 * 1024;
};

class QueueReader {
 public:
  static constexpr int kBusyDelayMs = 10;
  static constexpr int kChunksPerTurn = 8;

  // on_chunk(data, n): whole kernel records, on the loop thread. on_batch
  // (may be null): after the chunks of one turn.
  QueueReader(uv_loop_t* loop, QueueReaderOptions options,
              std::function<void(const char* data, size_t n)> on_chunk,
              std::function<void()> on_batch);
  ~QueueReader();
  QueueReader(const QueueReader&) = delete;
  QueueReader& operator=(const QueueReader&) = delete;

  // Starts reading `fd` (non-blocking; the caller's until Close). False with
  // *error when the thread or the loop's wakeup cannot be made.
  bool Start(int fd, std::string* error);
  // Stops the thread, drops what it had read and the loop had not taken,
  // and closes *fd (set to -1). Idempotent; closes a bare fd when Start
  // never succeeded. Safe from inside on_chunk: no later chunk is handed.
  void Close(int* fd);

  // Bytes read from the kernel and not yet handed to on_chunk.
  size_t queued_bytes() const;
  // How often the thread found the user-space bound reached and waited.
  uint64_t full_waits() const;

 private:
  void Run();            // the thread
  bool ReadAll(std::vector<char>* buffer);  // true when anything was read
  static void OnAsync(uv_async_t* handle);
  void TakeChunks();     // the loop's side

  uv_loop_t* loop_;
  QueueReaderOptions options_;
  std::function<void(const char* data, size_t n)> on_chunk_;
  std::function<void()> on_batch_;
  int fd_ = -1;
  int stop_fd_ = -1;  // an eventfd: written to stop the thread
  uv_async_t* async_ = nullptr;  // owned until its close callback
  std::thread thread_;
  bool closed_ = false;

  mutable std::mutex mu_;
  std::condition_variable room_;  // the loop took chunks, or stop
  std::deque<std::vector<char>> chunks_;  // guarded by mu_
  size_t queued_bytes_ = 0;               // guarded by mu_
  uint64_t full_waits_ = 0;               // guarded by mu_
  bool stopping_ = false;                 // guarded by mu_
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_QUEUE_READER_H_

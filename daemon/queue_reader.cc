// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/queue_reader.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <utility>

namespace modrace {

namespace {

// What one read() round found.
enum class ReadResult { kNothing, kRead, kFailed };

}  // namespace

QueueReader::QueueReader(uv_loop_t* loop, QueueReaderOptions options,
                         std::function<void(const char* data, size_t n)> on_chunk,
                         std::function<void()> on_batch)
    : loop_(loop),
      options_(options),
      on_chunk_(std::move(on_chunk)),
      on_batch_(std::move(on_batch)) {
  if (options_.chunk_bytes < 64 * 1024) options_.chunk_bytes = 64 * 1024;
  if (options_.max_queued_bytes < options_.chunk_bytes) {
    options_.max_queued_bytes = options_.chunk_bytes;
  }
}

QueueReader::~QueueReader() {
  int none = -1;
  Close(&none);
}

bool QueueReader::Start(int fd, std::string* error) {
  fd_ = fd;
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd_ < 0) {
    *error = std::string("eventfd: ") + strerror(errno);
    return false;
  }
  async_ = new uv_async_t;
  const int rc = uv_async_init(loop_, async_, &QueueReader::OnAsync);
  if (rc != 0) {
    delete async_;
    async_ = nullptr;
    *error = std::string("uv_async_init: ") + uv_strerror(rc);
    return false;
  }
  async_->data = this;
  // Signals are the loop's (uv_signal_t): the thread blocks them all.
  sigset_t all;
  sigset_t old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  try {
    thread_ = std::thread([this] { Run(); });
  } catch (const std::system_error& e) {
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    *error = std::string("reader thread: ") + e.what();
    return false;
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return true;
}

void QueueReader::Close(int* fd) {
  if (!closed_) {
    closed_ = true;
    if (thread_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
      }
      room_.notify_all();
      const uint64_t one = 1;
      ssize_t ignored = write(stop_fd_, &one, sizeof(one));
      (void)ignored;
      thread_.join();
    }
    if (stop_fd_ >= 0) close(stop_fd_);
    stop_fd_ = -1;
    if (async_ != nullptr) {
      uv_close(reinterpret_cast<uv_handle_t*>(async_),
               [](uv_handle_t* h) { delete reinterpret_cast<uv_async_t*>(h); });
      async_ = nullptr;
    }
    std::lock_guard<std::mutex> lock(mu_);
    chunks_.clear();
    queued_bytes_ = 0;
  }
  // The thread has ended: nothing reads the fd any more.
  if (*fd >= 0) close(*fd);
  *fd = -1;
  fd_ = -1;
}

size_t QueueReader::queued_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queued_bytes_;
}

uint64_t QueueReader::full_waits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return full_waits_;
}

void QueueReader::Run() {
  std::vector<char> buffer(options_.chunk_bytes);
  // Waits up to `ms` (-1: no limit) for the fd to turn readable (when
  // `for_fd`) or for stop; false on stop.
  auto wait = [this](int ms, bool for_fd) {
    struct pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {fd_, POLLIN, 0}};
    for (;;) {
      const int rc = poll(fds, for_fd ? 2 : 1, ms);
      if (rc < 0 && errno == EINTR) continue;
      return rc >= 0 && (fds[0].revents & POLLIN) == 0;
    }
  };
  bool busy = false;
  for (;;) {
    if (busy) {
      // Events kept coming: read again after a tick, without a wakeup.
      if (!wait(kBusyDelayMs, false)) return;
    } else {
      if (!wait(-1, true)) return;
      if (options_.delay_ms > 0 && !wait(options_.delay_ms, false)) return;
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (queued_bytes_ >= options_.max_queued_bytes) {
        ++full_waits_;
        room_.wait(lock, [this] {
          return stopping_ || queued_bytes_ < options_.max_queued_bytes;
        });
      }
      if (stopping_) return;
    }
    bool read_any = false;
    for (;;) {
      const ssize_t n = read(fd_, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno != EAGAIN) return;  // not an event fd any more
      if (n <= 0) break;                     // drained
      read_any = true;
      std::lock_guard<std::mutex> lock(mu_);
      if (!chunks_.empty() && chunks_.back().size() + static_cast<size_t>(n) <= options_.chunk_bytes) {
        chunks_.back().insert(chunks_.back().end(), buffer.data(), buffer.data() + n);
      } else {
        chunks_.emplace_back(buffer.data(), buffer.data() + n);
      }
      queued_bytes_ += static_cast<size_t>(n);
      if (queued_bytes_ >= options_.max_queued_bytes) break;
    }
    if (read_any) uv_async_send(async_);
    busy = read_any;
  }
}

void QueueReader::OnAsync(uv_async_t* handle) {
  static_cast<QueueReader*>(handle->data)->TakeChunks();
}

void QueueReader::TakeChunks() {
  bool handled = false;
  for (int i = 0; i < kChunksPerTurn && !closed_; ++i) {
    std::vector<char> chunk;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (chunks_.empty()) break;
      chunk = std::move(chunks_.front());
      chunks_.pop_front();
      queued_bytes_ -= chunk.size();
    }
    room_.notify_one();
    handled = true;
    on_chunk_(chunk.data(), chunk.size());
  }
  if (handled && on_batch_) on_batch_();
  if (closed_) return;
  bool more;
  {
    std::lock_guard<std::mutex> lock(mu_);
    more = !chunks_.empty();
  }
  // The rest on a later turn: the loop's other handles first.
  if (more) uv_async_send(async_);
}

}  // namespace modrace

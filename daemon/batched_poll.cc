// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/batched_poll.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "daemon/polled_fd.h"

namespace modrace {

BatchedPoll::BatchedPoll(uv_loop_t* loop, int delay_ms, std::function<void()> on_readable)
    : loop_(loop), delay_ms_(delay_ms), on_readable_(std::move(on_readable)) {}

BatchedPoll::~BatchedPoll() {
  int none = -1;
  Close(&none);
}

bool BatchedPoll::Start(int fd, std::string* error) {
  fd_ = fd;
  poll_ = new uv_poll_t;
  poll_->data = this;
  const int rc = uv_poll_init(loop_, poll_, fd);
  if (rc != 0) {
    delete poll_;
    poll_ = nullptr;
    *error = std::string("uv_poll_init: ") + uv_strerror(rc);
    return false;
  }
  uv_poll_start(poll_, UV_READABLE, &BatchedPoll::OnPoll);
  if (delay_ms_ > 0) {
    timer_ = new uv_timer_t;
    uv_timer_init(loop_, timer_);
    timer_->data = this;
  }
  return true;
}

void BatchedPoll::Close(int* fd) {
  if (timer_ != nullptr) {
    uv_timer_stop(timer_);
    uv_close(reinterpret_cast<uv_handle_t*>(timer_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    timer_ = nullptr;
  }
  ClosePolledFd(&poll_, fd);
  fd_ = -1;
}

bool BatchedPoll::Queued() const {
  int queued = 0;
  return fd_ >= 0 && ioctl(fd_, FIONREAD, &queued) == 0 && queued > 0;
}

void BatchedPoll::OnPoll(uv_poll_t* handle, int status, int) {
  auto* self = static_cast<BatchedPoll*>(handle->data);
  if (status < 0) return;
  if (self->timer_ == nullptr) {
    self->on_readable_();
    return;
  }
  uv_poll_stop(handle);
  uv_timer_start(self->timer_, &BatchedPoll::OnTimer, static_cast<uint64_t>(self->delay_ms_), 0);
}

void BatchedPoll::OnTimer(uv_timer_t* timer) {
  auto* self = static_cast<BatchedPoll*>(timer->data);
  // A busy tick with nothing queued: the quiet spell begins.
  if (self->busy_ && !self->Queued()) {
    self->busy_ = false;
    uv_poll_start(self->poll_, UV_READABLE, &BatchedPoll::OnPoll);
    return;
  }
  self->on_readable_();
  // on_readable_ may have closed us (the source stopped): poll_ is then null.
  if (self->poll_ == nullptr) return;
  self->busy_ = true;
  const int busy = std::max(self->delay_ms_, kBusyDelayMs);
  uv_timer_start(self->timer_, &BatchedPoll::OnTimer, static_cast<uint64_t>(busy), 0);
}
void ReadRounds(const int& fd, std::vector<char>* buffer,
                const std::function<void(size_t n)>& handle) {
  for (int round = 0; round < kReadsPerCallback && fd >= 0; ++round) {
    const ssize_t n = read(fd, buffer->data(), buffer->size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // EAGAIN: drained
    }
    if (n == 0) return;
    handle(static_cast<size_t>(n));
  }
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_COMMON_UNIQUE_FD_H_
#define MODRACE_COMMON_UNIQUE_FD_H_

// UniqueFd owns one file descriptor: move-only, closed exactly once (by its
// destructor, Reset or Close), never leaked on an early return. Pipe is two
// of them, so a half-made pair of pipes cannot leak either.

namespace modrace {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) Reset(other.Release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Gives the fd up without closing it.
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Closes the fd held (if any) and holds `fd` instead.
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

// pipe2(2) with `flags` (O_CLOEXEC, O_NONBLOCK) into `pipe`. Returns 0, or
// the errno of the failure (then `pipe` is left as it was).
int OpenPipe(Pipe* pipe, int flags);

}  // namespace modrace

#endif  // MODRACE_COMMON_UNIQUE_FD_H_

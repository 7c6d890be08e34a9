// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_EXEC_LISTENER_H_
#define MODRACE_DAEMON_EXEC_LISTENER_H_

// ExecListener: the kernel's process connector (netlink, PROC_EVENT_EXEC
// and PROC_EVENT_FORK), so the fanotify source can read a process's cmdline
// the moment it execs, and knows whose child a process is even when it is
// gone before anything of it was read.
// Why: a recipe like `sh -c '{ echo a; echo b; } > f'` opens, writes,
// closes and exits within microseconds of its first file event; by the time
// that event is read the process is a zombie, and a zombie's
// /proc/PID/cmdline is empty. The exec notification comes after the new
// image is in place (so the cmdline read is the new one) and well before
// the program reaches its first open (loader, shell start-up). A subshell
// (`( ... ) > f`, a side of a pipeline) forks without an exec, and a slow
// daemon may read a short program's exec after it exited: its fork still
// names its parent, and so its job (ProcessTable::NoteFork).
//
// Contract: Start() needs CAP_NET_ADMIN (root); when it fails the caller
// carries on without it (names then come from the first file event only).
// on_exec(tgid) runs for every exec on the machine, on_fork(parent, child)
// for every new process (not thread), in the loop, in the kernel's order;
// they must be cheap. Drain() reads what is queued now, at once: the fanotify
// source calls it before it names a batch's processes, so the forks of the
// processes in the batch are known. On Linux 6.6 and later the kernel is
// asked for forks and execs alone (the connector's event filter), so exits
// never wake the loop; on older kernels (Debian 12's 6.1) they are read and
// ignored.

#include <cstdint>
#include <functional>
#include <string>

#include <uv.h>

namespace modrace {

class ExecListener {
 public:
  ExecListener(uv_loop_t* loop, std::function<void(int32_t tgid)> on_exec,
               std::function<void(int32_t parent, int32_t child)> on_fork = nullptr);
  ~ExecListener();
  ExecListener(const ExecListener&) = delete;
  ExecListener& operator=(const ExecListener&) = delete;

  bool Start(std::string* error);
  void Close();  // idempotent; the handle closes on the loop's next run
  // Reads every message queued now (bounded by kDrainRounds reads).
  void Drain();

  uint64_t execs() const { return execs_; }
  uint64_t forks() const { return forks_; }
  // Messages read that were neither (0 when the kernel filters).
  uint64_t others() const { return others_; }
  // Whether the kernel was asked for execs alone (Linux 6.6+).
  bool filtered() const { return filtered_; }
  // Times the socket's buffer overflowed (ENOBUFS): execs were missed.
  uint64_t lost() const { return lost_; }

 private:
  static void OnPoll(uv_poll_t* handle, int status, int events);
  static constexpr int kPollRounds = 256;     // reads per loop wake-up
  static constexpr int kDrainRounds = 65536;  // reads per Drain()
  void Read(int rounds);

  uv_loop_t* loop_;
  std::function<void(int32_t)> on_exec_;
  std::function<void(int32_t, int32_t)> on_fork_;
  int fd_ = -1;
  uv_poll_t* poll_ = nullptr;
  uint64_t execs_ = 0;
  uint64_t forks_ = 0;
  uint64_t lost_ = 0;
  uint64_t others_ = 0;
  bool filtered_ = false;
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_EXEC_LISTENER_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_EXEC_LISTENER_H_
#define MODRACE_DAEMON_EXEC_LISTENER_H_

// ExecListener: the kernel's process connector (netlink, PROC_EVENT_EXEC),
// so the fanotify source can read a process's cmdline the moment it execs.
// Why: a recipe like `sh -c '{ echo a; echo b; } > f'` opens, writes,
// closes and exits within microseconds of its first file event; by the time
// that event is read the process is a zombie, and a zombie's
// /proc/PID/cmdline is empty. The exec notification comes after the new
// image is in place (so the cmdline read is the new one) and well before
// the program reaches its first open (loader, shell start-up).
//
// Contract: Start() needs CAP_NET_ADMIN (root); when it fails the caller
// carries on without it (names then come from the first file event only).
// on_exec(tgid) runs for every exec on the machine, in the loop; it must be
// cheap. On Linux 6.6 and later the kernel is asked for execs alone (the
// connector's event filter), so forks and exits, two of every three
// messages of a build, never wake the loop; on older kernels (Debian 12's
// 6.1) they are read and ignored.

#include <cstdint>
#include <functional>
#include <string>

#include <uv.h>

namespace modrace {

class ExecListener {
 public:
  ExecListener(uv_loop_t* loop, std::function<void(int32_t tgid)> on_exec);
  ~ExecListener();
  ExecListener(const ExecListener&) = delete;
  ExecListener& operator=(const ExecListener&) = delete;

  bool Start(std::string* error);
  void Close();  // idempotent; the handle closes on the loop's next run

  uint64_t execs() const { return execs_; }
  // Messages read that were not execs (0 when the kernel filters).
  uint64_t others() const { return others_; }
  // Whether the kernel was asked for execs alone (Linux 6.6+).
  bool filtered() const { return filtered_; }
  // Times the socket's buffer overflowed (ENOBUFS): execs were missed.
  uint64_t lost() const { return lost_; }

 private:
  static void OnPoll(uv_poll_t* handle, int status, int events);
  void Read();

  uv_loop_t* loop_;
  std::function<void(int32_t)> on_exec_;
  int fd_ = -1;
  uv_poll_t* poll_ = nullptr;
  uint64_t execs_ = 0;
  uint64_t lost_ = 0;
  uint64_t others_ = 0;
  bool filtered_ = false;
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_EXEC_LISTENER_H_

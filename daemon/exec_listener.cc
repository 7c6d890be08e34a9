// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/exec_listener.h"

#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "daemon/polled_fd.h"

namespace modrace {

namespace {

// The connector's listen request with an event filter (Linux 6.6,
// drivers/connector/cn_proc.c: a request of this size carries the events
// wanted; one of an int's size asks for all). Older kernels ignore a
// request that is not an int's size, so it is sent only where understood.
struct ProcInput {
  uint32_t mcast_op;
  uint32_t event_type;
};
constexpr uint32_t kProcEventFork = 0x00000001;
constexpr uint32_t kProcEventExec = 0x00000002;

bool KernelFiltersEvents() {
  struct utsname u;
  if (uname(&u) != 0) return false;
  int major = 0;
  int minor = 0;
  if (sscanf(u.release, "%d.%d", &major, &minor) != 2) return false;
  return major > 6 || (major == 6 && minor >= 6);
}

}  // namespace

ExecListener::ExecListener(uv_loop_t* loop, std::function<void(int32_t tgid)> on_exec,
                           std::function<void(int32_t parent, int32_t child)> on_fork)
    : loop_(loop), on_exec_(std::move(on_exec)), on_fork_(std::move(on_fork)) {}

ExecListener::~ExecListener() { Close(); }

bool ExecListener::Start(std::string* error) {
  fd_ = socket(PF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  if (fd_ < 0) {
    *error = std::string("netlink connector socket: ") + strerror(errno);
    return false;
  }
  // Room for bursts of fork/exec/exit messages between two loop turns.
  const int rcvbuf = 4 << 20;
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
  struct sockaddr_nl addr;
  memset(&addr, 0, sizeof(addr));
  addr.nl_family = AF_NETLINK;
  addr.nl_groups = CN_IDX_PROC;
  addr.nl_pid = 0;  // the kernel picks a unique port id
  if (bind(fd_, reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr)) != 0) {
    *error = std::string("bind to the process connector: ") + strerror(errno) +
             (errno == EPERM ? " (needs CAP_NET_ADMIN)" : "");
    Close();
    return false;
  }
  // nlmsghdr, cn_msg, then the op: laid out by hand (cn_msg ends in a
  // flexible array).
  filtered_ = KernelFiltersEvents();
  const ProcInput input{PROC_CN_MCAST_LISTEN,
                        on_fork_ ? (kProcEventExec | kProcEventFork) : kProcEventExec};
  const int op = PROC_CN_MCAST_LISTEN;
  const size_t payload = filtered_ ? sizeof(input) : sizeof(op);
  alignas(struct nlmsghdr) char msg[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof(ProcInput))];
  memset(msg, 0, sizeof(msg));
  auto* nl = reinterpret_cast<struct nlmsghdr*>(msg);
  nl->nlmsg_len = NLMSG_LENGTH(sizeof(struct cn_msg) + payload);
  nl->nlmsg_type = NLMSG_DONE;
  auto* cn = static_cast<struct cn_msg*>(NLMSG_DATA(nl));
  cn->id.idx = CN_IDX_PROC;
  cn->id.val = CN_VAL_PROC;
  cn->len = static_cast<uint16_t>(payload);
  if (filtered_) {
    memcpy(cn->data, &input, sizeof(input));
  } else {
    memcpy(cn->data, &op, sizeof(op));
  }
  if (send(fd_, msg, nl->nlmsg_len, 0) != static_cast<ssize_t>(nl->nlmsg_len)) {
    *error = std::string("process connector listen: ") + strerror(errno);
    Close();
    return false;
  }
  poll_ = new uv_poll_t;
  poll_->data = this;
  if (uv_poll_init(loop_, poll_, fd_) != 0) {
    delete poll_;
    poll_ = nullptr;
    *error = "uv_poll_init on the process connector failed";
    Close();
    return false;
  }
  uv_poll_start(poll_, UV_READABLE, &ExecListener::OnPoll);
  return true;
}

void ExecListener::Close() {
  ClosePolledFd(&poll_, &fd_);
}

void ExecListener::OnPoll(uv_poll_t* handle, int status, int) {
  if (status < 0) return;
  static_cast<ExecListener*>(handle->data)->Read(kPollRounds);
}

void ExecListener::Drain() { Read(kDrainRounds); }

void ExecListener::Read(int rounds) {
  alignas(struct nlmsghdr) char buf[8192];
  for (int round = 0; round < rounds && fd_ >= 0; ++round) {
    const ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) {
        ++lost_;
        continue;
      }
      return;  // EAGAIN: drained
    }
    if (n == 0) return;
    size_t len = static_cast<size_t>(n);
    for (auto* nl = reinterpret_cast<struct nlmsghdr*>(buf); NLMSG_OK(nl, len);
         nl = NLMSG_NEXT(nl, len)) {
      if (nl->nlmsg_type == NLMSG_ERROR || nl->nlmsg_type == NLMSG_NOOP) continue;
      const auto* cn = static_cast<const struct cn_msg*>(NLMSG_DATA(nl));
      if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC) continue;
      struct proc_event ev;
      if (cn->len < offsetof(struct proc_event, event_data) + sizeof(ev.event_data.exec)) {
        continue;
      }
      memcpy(&ev, cn->data, std::min<size_t>(cn->len, sizeof(ev)));
      if (ev.what == proc_event::PROC_EVENT_FORK && on_fork_ &&
          cn->len >= offsetof(struct proc_event, event_data) + sizeof(ev.event_data.fork)) {
        // A new thread is no new process: its tgid is the parent's.
        if (ev.event_data.fork.child_pid != ev.event_data.fork.child_tgid) continue;
        ++forks_;
        on_fork_(ev.event_data.fork.parent_tgid, ev.event_data.fork.child_tgid);
        continue;
      }
      if (ev.what != proc_event::PROC_EVENT_EXEC) {
        ++others_;
        continue;
      }
      ++execs_;
      on_exec_(ev.event_data.exec.process_tgid);
    }
  }
}

}  // namespace modrace

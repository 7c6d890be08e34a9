// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_POLLED_FD_H_
#define MODRACE_DAEMON_POLLED_FD_H_

// The one way the daemon lets go of an fd it polls with libuv: stop the
// poll, and close the fd only in the handle's close callback, once libuv no
// longer uses it. Sets *poll to null and *fd to -1; closes a bare fd (no
// poll yet) at once. Idempotent.

#include <uv.h>

namespace modrace {

void ClosePolledFd(uv_poll_t** poll, int* fd);

}  // namespace modrace

#endif  // MODRACE_DAEMON_POLLED_FD_H_

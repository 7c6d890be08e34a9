// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/polled_fd.h"

#include <stdint.h>
#include <unistd.h>

namespace modrace {

void ClosePolledFd(uv_poll_t** poll, int* fd) {
  if (*poll != nullptr) {
    uv_poll_stop(*poll);
    (*poll)->data = reinterpret_cast<void*>(static_cast<intptr_t>(*fd));
    uv_close(reinterpret_cast<uv_handle_t*>(*poll), [](uv_handle_t* h) {
      close(static_cast<int>(reinterpret_cast<intptr_t>(h->data)));
      delete reinterpret_cast<uv_poll_t*>(h);
    });
    *poll = nullptr;
    *fd = -1;
  }
  if (*fd >= 0) {
    close(*fd);
    *fd = -1;
  }
}

}  // namespace modrace

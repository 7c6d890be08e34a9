// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_BACKEND_REASON_H_
#define MODRACE_DAEMON_BACKEND_REASON_H_

// Why the daemon watches with the backend it does: the report's and the
// status's `backend_reason`, one sentence a person reads as it stands. It
// names what was asked (`--backend auto|inotify|fanotify`), what was chosen
// and why, and with inotify alone that no writer is named by process.

#include <string>

namespace modrace {

struct BackendChoice {
  std::string requested;        // "auto", "inotify" or "fanotify"
  bool fanotify_tried = false;  // auto found it permitted, or it was asked for
  std::string unavailable_why;  // auto: why fanotify is not permitted
  std::string start_error;      // fanotify was tried and did not start
  std::string fanotify_mode;    // the mode fanotify started in ("" if it did not)
};

std::string BackendReason(const BackendChoice& choice);

}  // namespace modrace

#endif  // MODRACE_DAEMON_BACKEND_REASON_H_

// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/backend_reason.h"

namespace modrace {

namespace {

constexpr char kNoNames[] = "; inotify does not say which process wrote, so no writer is named";
constexpr char kBothSources[] =
    "; it names the writers, and inotify beside it keeps the order of opens and closes that "
    "fanotify loses when it merges a process's queued events";

// "fanotify: filesystem mark ..." -> "filesystem mark ...".
std::string ModeOnly(const std::string& mode) {
  const std::string prefix = "fanotify: ";
  return mode.compare(0, prefix.size(), prefix) == 0 ? mode.substr(prefix.size()) : mode;
}

}  // namespace

std::string BackendReason(const BackendChoice& c) {
  const bool automatic = c.requested == "auto";
  if (!c.fanotify_mode.empty()) {
    return std::string(automatic ? "auto chose fanotify beside inotify, as fanotify is permitted"
                                 : "fanotify beside inotify, as --backend fanotify asked") +
           " (" + ModeOnly(c.fanotify_mode) + ")" + kBothSources;
  }
  if (!automatic) return std::string("inotify, as --backend inotify asked") + kNoNames;
  if (!c.start_error.empty()) {
    return "auto chose inotify: fanotify is permitted but did not start (" + c.start_error + ")" +
           kNoNames;
  }
  const std::string why = c.unavailable_why.empty() ? "fanotify is not available" : c.unavailable_why;
  return "auto chose inotify: " + why + kNoNames;
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/backend_reason.h"

#include <string>

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("backend_reason says what was asked, what was chosen and why, in one sentence") {
  BackendChoice c;
  c.requested = "auto";
  c.unavailable_why = "fanotify needs CAP_SYS_ADMIN (root)";
  CHECK(BackendReason(c) ==
        "auto chose inotify: fanotify needs CAP_SYS_ADMIN (root); inotify does not say which "
        "process wrote, so no writer is named");

  c.fanotify_tried = true;
  c.unavailable_why.clear();
  c.start_error = "fanotify_mark: No space left on device";
  CHECK(BackendReason(c) ==
        "auto chose inotify: fanotify is permitted but did not start (fanotify_mark: No space "
        "left on device); inotify does not say which process wrote, so no writer is named");

  c.start_error.clear();
  c.fanotify_mode = "fanotify: filesystem mark with file handles and names";
  const std::string both = BackendReason(c);
  CHECK(both.rfind("auto chose fanotify beside inotify, as fanotify is permitted (filesystem "
                   "mark with file handles and names); it names the writers",
                   0) == 0);

  c.requested = "fanotify";
  CHECK(BackendReason(c).rfind("fanotify beside inotify, as --backend fanotify asked (", 0) == 0);

  BackendChoice asked;
  asked.requested = "inotify";
  CHECK(BackendReason(asked) ==
        "inotify, as --backend inotify asked; inotify does not say which process wrote, so no "
        "writer is named");
  // Never the old run-on "..., or use --backend inotify, so inotify".
  for (const std::string& r : {BackendReason(asked), both}) {
    CHECK(r.find("so inotify") == std::string::npos);
    CHECK(r.find("or use --backend") == std::string::npos);
  }
}

}  // namespace modrace

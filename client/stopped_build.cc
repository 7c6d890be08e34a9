// SPDX-License-Identifier: GPL-2.0-only
#include "client/stopped_build.h"

#include "client/foreground_command.h"

namespace modrace {

void NoteStoppedBy(int sig, Report* report) {
  report->coverage.stopped_by = SignalName(sig);
  report->complete = false;
}

}  // namespace modrace

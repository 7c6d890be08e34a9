// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_STOPPED_BUILD_H_
#define MODRACE_CLIENT_STOPPED_BUILD_H_

// A build that a signal sent to `run` or `repro` stopped before its end (a
// CI runner cancelling the job): what was seen until then is reported, and
// the report says it is not the whole build.

#include "proto/report.h"

namespace modrace {

// Marks `report` incomplete: coverage.stopped_by names signal `sig`.
void NoteStoppedBy(int sig, Report* report);

}  // namespace modrace

#endif  // MODRACE_CLIENT_STOPPED_BUILD_H_

// SPDX-License-Identifier: GPL-2.0-only
#include "client/command.h"

#include "client/commands.h"

namespace modrace {

const CommandEntry* CommandTable(size_t* count) {
  static const CommandEntry kTable[] = {
      {"start", DefineStartCommand},
      {"stop", DefineStopCommand},
      {"status", DefineStatusCommand},
      {"report", DefineReportCommand},
      {"watch", DefineWatchCommand},
      {"run", DefineRunCommand},
      {"repro", DefineReproCommand},
      {"audit", DefineAuditCommand},
      {"replay", DefineReplayCommand},
  };
  *count = sizeof(kTable) / sizeof(kTable[0]);
  return kTable;
}

}  // namespace modrace

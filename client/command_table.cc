#include "client/command.h"

#include "client/commands.h"

namespace modrace {

const CommandEntry* CommandTable(size_t* count) {
  static const CommandEntry kTable[] = {
      {"audit", DefineAuditCommand},
      {"replay", DefineReplayCommand},
  };
  *count = sizeof(kTable) / sizeof(kTable[0]);
  return kTable;
}

}  // namespace modrace

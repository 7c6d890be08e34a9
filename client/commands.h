// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_COMMANDS_H_
#define MODRACE_CLIENT_COMMANDS_H_

// The define functions of every subcommand, one file each
// (client/<name>_command.cc); command_table.cc lists them.

#include "client/command.h"

namespace modrace {

CLI::App* DefineStartCommand(CLI::App& app, CommandContext& ctx);
CLI::App* DefineStopCommand(CLI::App& app, CommandContext& ctx);
CLI::App* DefineStatusCommand(CLI::App& app, CommandContext& ctx);
CLI::App* DefineReportCommand(CLI::App& app, CommandContext& ctx);
CLI::App* DefineWatchCommand(CLI::App& app, CommandContext& ctx);
CLI::App* DefineRunCommand(CLI::App& app, CommandContext& ctx);
CLI::App* DefineReproCommand(CLI::App& app, CommandContext& ctx);
CLI::App* DefineAuditCommand(CLI::App& app, CommandContext& ctx);
CLI::App* DefineReplayCommand(CLI::App& app, CommandContext& ctx);

}  // namespace modrace

#endif  // MODRACE_CLIENT_COMMANDS_H_

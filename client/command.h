// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_COMMAND_H_
#define MODRACE_CLIENT_COMMAND_H_

// The client's subcommands: one explicit table (command_table.cc) of
// {name, define}; no static self-registration. `define` adds the CLI11
// subcommand with its options to `app` and sets its callback, which stores
// the subcommand's exit code in ctx.exit_code.

#include <string>

#include <CLI/CLI.hpp>

namespace modrace {

struct GlobalOptions {
  std::string socket;  // --socket PATH: talk to this daemon
  std::string tree;    // --tree DIR: the daemon of this tree (default ".")
};

struct CommandContext {
  GlobalOptions global;
  int exit_code = 0;
};

using DefineCommand = CLI::App* (*)(CLI::App& app, CommandContext& ctx);

struct CommandEntry {
  const char* name;
  DefineCommand define;
};

// The table, in the order `--help` lists them.
const CommandEntry* CommandTable(size_t* count);

}  // namespace modrace

#endif  // MODRACE_CLIENT_COMMAND_H_

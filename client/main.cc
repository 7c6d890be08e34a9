// modrace: the client. See `modrace --help` and DESIGN.md "Client".

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "client/command.h"
#include "client/exit_codes.h"
#include "proto/version.h"

int main(int argc, char** argv) {
  using namespace modrace;
  CommandContext ctx;
  CLI::App app{
      "modrace: catch kernel module name clashes and concurrent writes in a build tree.\n"
      "Watches `make -jN` with the modraced daemon, or audits a tree without building.\n"
      "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad usage or input,\n"
      "3 the watcher could not run.",
      "modrace"};
  app.set_version_flag("--version", std::string("modrace ") + kModraceVersion);
  app.add_option("--socket", ctx.global.socket, "Socket of the daemon to talk to");
  app.add_option("--tree", ctx.global.tree,
                 "Tree whose daemon to talk to (default: the current directory)");
  app.require_subcommand(1);
  size_t count = 0;
  const CommandEntry* table = CommandTable(&count);
  for (size_t i = 0; i < count; ++i) table[i].define(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "modrace: " << e.what() << "\n"
              << "Run 'modrace --help' (or 'modrace COMMAND --help') for usage.\n";
    return kExitUsage;
  }
  return ctx.exit_code;
}

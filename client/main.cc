// SPDX-License-Identifier: GPL-2.0-only
// modrace: the client. See `modrace --help` and docs/architecture.md, Client.

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "client/command.h"
#include "client/exit_codes.h"
#include "common/build_stamp.h"

namespace {

// The first word of argv that is not a global option or its value: the
// subcommand the user meant ("" when there is none). CLI11 alone would call
// `modrace frob` "A subcommand is required"; this names the real problem.
std::string FirstCommandWord(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (std::strcmp(a, "--") == 0) return i + 1 < argc ? argv[i + 1] : "";
    if (std::strcmp(a, "--socket") == 0 || std::strcmp(a, "--tree") == 0) {
      ++i;  // its value
      continue;
    }
    if (a[0] == '-') continue;
    return a;
  }
  return "";
}

bool HasDoubleDash(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace modrace;
  CommandContext ctx;
  CLI::App app{
      "modrace: catch kernel module name clashes and concurrent writes in a build tree.\n"
      "Watches `make -jN` with the modraced daemon, or audits a tree without building.\n"
      "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad usage or input,\n"
      "3 the watcher could not run. run and repro wrap a build, as timeout(1) does: the\n"
      "build's own status when it failed, 1 for findings on a build that succeeded, and\n"
      "for modrace's own failures 125 (bad usage, the watcher could not run), 126 (the\n"
      "build command cannot be executed), 127 (not found).",
      "modrace"};
  app.set_version_flag("--version", VersionLine("modrace"));
  app.add_option("--socket", ctx.global.socket, "Socket of the daemon to talk to");
  app.add_option("--tree", ctx.global.tree,
                 "Tree whose daemon to talk to (default: the current directory)");
  app.require_subcommand(1);
  size_t count = 0;
  const CommandEntry* table = CommandTable(&count);
  std::string names;
  for (size_t i = 0; i < count; ++i) {
    table[i].define(app, ctx);
    names += std::string(i == 0 ? "" : ", ") + table[i].name;
  }
  const std::string word = FirstCommandWord(argc, argv);
  bool known = word.empty();
  for (size_t i = 0; i < count && !known; ++i) known = word == table[i].name;
  if (!known) {
    std::cerr << "modrace: unknown subcommand '" << word << "' (one of: " << names
              << "). Run 'modrace --help' for usage.\n";
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // run and repro wrap a build, whose status passes through: their bad
    // usage must not read as make's error status 2.
    const bool wrapper = word == "run" || word == "repro";
    std::cerr << "modrace: " << (word.empty() ? "" : word + ": ") << e.what() << "\n";
    if (wrapper && !HasDoubleDash(argc, argv)) {
      std::cerr << "The build command goes after --: modrace " << word
                << " [OPTIONS] -- make -j8\n";
    }
    std::cerr << "Run 'modrace " << (word.empty() ? "" : word + " ") << "--help' for usage.\n";
    return wrapper ? kExitWrapperFailed : kExitUsage;
  }
  return ctx.exit_code;
}

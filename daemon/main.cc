// SPDX-License-Identifier: GPL-2.0-only
// modraced: the watcher daemon. Runs in the foreground (the client
// daemonizes it); see docs/architecture.md, Daemon behaviour.
// Exit codes: 0 ok, 2 bad usage, 3 cannot watch.

#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "daemon/daemon.h"
#include "common/build_stamp.h"

int main(int argc, char** argv) {
  using namespace modrace;
  DaemonOptions options;
  CLI::App app{
      "modraced: watches a build tree and reports module name clashes and concurrent\n"
      "writes as they happen. Foreground only. Prints the socket path once every watch\n"
      "is in place. Exit codes: 0 ok, 2 bad usage, 3 cannot watch.",
      "modraced"};
  app.set_version_flag("--version", VersionLine("modraced"));
  app.add_option("--root", options.root, "The tree to watch")->required();
  app.add_option("--socket", options.socket_path,
                 "Socket to listen on (default: $XDG_RUNTIME_DIR/modrace/ or "
                 "/tmp/modrace-$UID/, named after the root's device and inode)");
  app.add_option("--backend", options.backend, "Event source: auto (fanotify when permitted, else inotify), inotify, or fanotify (root: names the writing processes)")
      ->check(CLI::IsMember({"auto", "inotify", "fanotify"}));
  app.add_option("--report", options.report_path,
                 "Write the report here (atomically) at shutdown and within 1 s of a finding");
  app.add_option("--record", options.record_path, "Write every event here, one JSON line each");
  app.add_option("--ready-fd", options.ready_fd,
                 "Write one line to this fd (then close it) once every watch is in place");
  app.add_option("--build-parent", options.build_parent,
                 "The pid whose children are the build (`modrace run`): no process above them "
                 "is ever named in a report or recording")
      ->check(CLI::PositiveNumber);
  app.add_flag("--foreground", "Accepted for compatibility: modraced never forks");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "modraced: " << e.what() << "\nRun 'modraced --help' for usage.\n";
    return kDaemonUsage;
  }
  return RunDaemon(options);
}

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_MODRACED_PROCESS_H_
#define MODRACE_DAEMON_MODRACED_PROCESS_H_

// Test helpers for end-to-end tests of the real modraced binary (doctest):
// the daemon as a child process, the backend under test, and a running
// daemon on a fresh tree with a connected client. Flushes are barriers and
// exits are waited for with a deadline, never a sleep.

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"  // NowMs, for the tests' deadlines
#include "common/daemon_client.h"
#include "common/test_tree.h"
#include "proto/protocol.h"
#include "proto/report.h"

namespace modrace {

std::string Slurp(const std::string& path);

// A short private directory for sockets: Bazel's TEST_TMPDIR can be longer
// than a socket path may be. Removed with its contents.
struct SocketTmpDir {
  SocketTmpDir();
  ~SocketTmpDir();
  std::string path;
};

// modraced (daemon/modraced in the runfiles) as a child process, killed
// with SIGKILL if still running when this goes away.
class DaemonProcess {
 public:
  ~DaemonProcess();

  // Its stderr goes to this file (default: the test's own stderr).
  void set_stderr_file(const std::string& path) { stderr_file_ = path; }

  // Starts modraced and waits for its ready line. Returns false (with the
  // exit code in exit_code()) when it exits instead.
  bool Start(const std::vector<std::string>& args);

  void Signal(int sig);
  // Waits for the exit; returns the exit code (128+signal when killed).
  int Wait();
  // Like Wait() but gives up after `timeout_ms`: -2 while still running.
  int WaitFor(int64_t timeout_ms);
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  const std::string& socket() const { return socket_; }
  int exit_code() const { return exit_code_; }

 private:
  pid_t pid_ = -1;
  std::string socket_;
  std::string stderr_file_;
  int exit_code_ = -1;
};

// The backend under test: the same tests run once per backend (BUILD sets
// MODRACE_TEST_BACKEND for the fanotify targets).
const std::string& TestBackend();
bool Inotify();
std::string ModracedPath();  // absolute
// fanotify needs root: true (and a SKIPPED message) when it cannot run.
bool BackendUnavailable();

// A tree, a socket dir and a running daemon with --report and --record
// (outside the tree) on the backend under test, and a connected client.
struct Running {
  struct Options {
    std::function<void(const TestTree&)> prepare;  // runs before the start
    std::string report;       // empty: out/report.json
    bool capture_stderr = false;  // into sockets/stderr.txt, see Stderr()
  };
  explicit Running(const std::function<void(const TestTree&)>& prepare = nullptr);
  explicit Running(const Options& options);

  Reply Call(const std::string& cmd, nlohmann::json args = nlohmann::json::object());
  void Barrier();
  Report GetReport();
  std::string Stderr() const;  // what the daemon wrote (capture_stderr)
  static bool Has(const Report& r, FindingKind kind);

  TestTree tree;
  TestTree out;  // report and record live outside the watched tree
  SocketTmpDir sockets;
  std::string report, record, stderr_file;
  DaemonProcess daemon;
  DaemonClient client;

 private:
  void Begin(const Options& options);
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_MODRACED_PROCESS_H_

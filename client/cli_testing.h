// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_CLI_TESTING_H_
#define MODRACE_CLIENT_CLI_TESTING_H_

// What the end-to-end tests of the real binaries share: running
// client/modrace (from the runfiles root, where Bazel starts a test) with
// stdout and stderr kept apart, an isolated socket directory, and small
// generated make trees.

#include <sys/types.h>

#include <string>

namespace modrace {

struct CliResult {
  int status = -1;  // exit code; 128+N when killed by signal N
  std::string out;
  std::string err;
};

// Points XDG_RUNTIME_DIR at a fresh short directory (so `start` never meets
// a user's daemon) and MODRACED at the runfiles' daemon/modraced. Call once
// per test case (only the first call acts).
void SetUpCliTestEnvironment();

// Single-quotes `s` for /bin/sh.
std::string ShellQuote(const std::string& s);

// Runs `client/modrace ARGS` through /bin/sh (ARGS already shell-quoted
// where needed), stdin from /dev/null, and waits for it. `env` (e.g.
// "-u MODRACED" or "MODRACED=/x") is given to env(1) when not empty.
CliResult Modrace(const std::string& args, const std::string& env = "");

// Starts `client/modrace ARGS` with stdout on a pipe; *out_fd is its read
// end, stderr goes to `err_file`. Returns the pid (of /bin/sh exec'ing it).
pid_t SpawnModrace(const std::string& args, int* out_fd, const std::string& err_file);

// Reads from `fd` until `text` shows up in *buffer or timeout_ms pass.
bool ReadUntil(int fd, const std::string& text, std::string* buffer, int timeout_ms);

// Waits for pid; exit code or 128+signal; -1 when timeout_ms passed (then
// it is killed).
int WaitExit(pid_t pid, int timeout_ms);

std::string Slurp(const std::string& path);
std::string RealPath(const std::string& path);

// Writes a Makefile into `root` whose every target is phony (each build
// writes again): `all` writes a/foo.mod, and b/foo.mod when `duplicate`
// (a second module named foo: a collision), else b/bar.mod.
void WriteModuleMakefile(const std::string& root, bool duplicate);

// The build command for such a tree: make -j2, silent, from anywhere.
std::string MakeCommand(const std::string& root);

// True when this test may run programs as user nobody (root, setpriv).
bool CanDropToNobody();

// Runs the real binaries as user nobody (65534, no groups): a fresh 0755
// directory under /tmp (not the runfiles, which nobody may not reach)
// holding copies of client/modrace and daemon/modraced, and files for the
// test. Removed at the end, whatever modes the test left.
class AsNobody {
 public:
  AsNobody();
  ~AsNobody();
  AsNobody(const AsNobody&) = delete;
  AsNobody& operator=(const AsNobody&) = delete;

  std::string Abs(const std::string& rel) const { return dir_ + "/" + rel; }
  // Writes `text` to Abs(rel), creating directories (mode 0755).
  void Write(const std::string& rel, const std::string& text) const;
  // `modrace ARGS` as nobody, ARGS shell-quoted where needed.
  CliResult Modrace(const std::string& args) const;

 private:
  std::string dir_;
};

}  // namespace modrace

#endif  // MODRACE_CLIENT_CLI_TESTING_H_

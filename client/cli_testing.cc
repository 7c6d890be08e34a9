// SPDX-License-Identifier: GPL-2.0-only
#include "client/cli_testing.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "common/clock.h"

namespace modrace {

namespace {

int StatusOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

std::string TempFile(const char* stem) {
  char tmpl[PATH_MAX];
  const char* dir = getenv("TEST_TMPDIR");
  snprintf(tmpl, sizeof(tmpl), "%s/%s-XXXXXX", dir != nullptr ? dir : "/tmp", stem);
  const int fd = mkstemp(tmpl);
  REQUIRE(fd >= 0);
  close(fd);
  return tmpl;
}

// The socket directory of SetUpCliTestEnvironment, removed at exit.
char g_runtime_dir[] = "/tmp/modrace-cli-XXXXXX";

void RemoveRuntimeDir() {
  const std::string cmd = "rm -rf " + ShellQuote(g_runtime_dir);
  if (system(cmd.c_str()) != 0) fprintf(stderr, "cannot remove %s\n", g_runtime_dir);
}

}  // namespace

void SetUpCliTestEnvironment() {
  static bool done = false;
  if (done) return;
  done = true;
  REQUIRE(mkdtemp(g_runtime_dir) != nullptr);
  atexit(RemoveRuntimeDir);
  setenv("XDG_RUNTIME_DIR", g_runtime_dir, 1);
  setenv("MODRACED", RealPath("daemon/modraced").c_str(), 1);
}

std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string RealPath(const std::string& path) {
  char buf[PATH_MAX];
  return realpath(path.c_str(), buf) != nullptr ? buf : path;
}

CliResult Modrace(const std::string& args, const std::string& env) {
  const std::string out = TempFile("out"), err = TempFile("err");
  const std::string cmd = "exec " + (env.empty() ? "" : "env " + env + " ") + "client/modrace " +
                          args + " </dev/null >" + ShellQuote(out) +
                          " 2>" + ShellQuote(err);
  CliResult r;
  const int status = system(cmd.c_str());
  r.status = StatusOf(status);
  r.out = Slurp(out);
  r.err = Slurp(err);
  unlink(out.c_str());
  unlink(err.c_str());
  return r;
}

pid_t SpawnModrace(const std::string& args, int* out_fd, const std::string& err_file) {
  int p[2];
  REQUIRE(pipe2(p, O_CLOEXEC) == 0);
  const std::string cmd =
      "exec client/modrace " + args + " </dev/null 2>" + ShellQuote(err_file);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(p[1], STDOUT_FILENO);
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(p[1]);
  *out_fd = p[0];
  return pid;
}

bool ReadUntil(int fd, const std::string& text, std::string* buffer, int timeout_ms) {
  const int64_t deadline = NowMs() + timeout_ms;
  while (buffer->find(text) == std::string::npos) {
    const int left = static_cast<int>(deadline - NowMs());
    if (left <= 0) return false;
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, left) <= 0) continue;
    char buf[4096];
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) return buffer->find(text) != std::string::npos;
    buffer->append(buf, static_cast<size_t>(n));
  }
  return true;
}

int WaitExit(pid_t pid, int timeout_ms) {
  const int64_t deadline = NowMs() + timeout_ms;
  int status = 0;
  for (;;) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return StatusOf(status);
    if (r < 0 && errno != EINTR) return -1;
    if (NowMs() >= deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    poll(nullptr, 0, 10);  // waiting for an exit
  }
}

void WriteModuleMakefile(const std::string& root, bool duplicate) {
  const std::string second = duplicate ? "b/foo.mod" : "b/bar.mod";
  std::ofstream mk(root + "/Makefile");
  mk << ".PHONY: all a/foo.mod " << second << "\n"
     << "all: a/foo.mod " << second << "\n"
     << "a/foo.mod:\n"
     << "\t@mkdir -p a && printf 'a/foo.o\\n' > a/foo.mod\n"
     << second << ":\n"
     << "\t@mkdir -p b && printf '" << second.substr(0, second.size() - 4) << ".o\\n' > "
     << second << "\n";
  REQUIRE(mk.good());
}

std::string MakeCommand(const std::string& root) {
  return "make -j2 -s --no-print-directory -C " + ShellQuote(root);
}

bool CanDropToNobody() {
  return geteuid() == 0 && access("/usr/bin/setpriv", X_OK) == 0;
}

AsNobody::AsNobody() {
  char tmpl[] = "/tmp/modrace-nobody-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  dir_ = tmpl;
  chmod(dir_.c_str(), 0755);
  const std::string cp = "cp client/modrace daemon/modraced " + ShellQuote(dir_) + "/";
  REQUIRE(system(cp.c_str()) == 0);
}

AsNobody::~AsNobody() {
  const std::string rm = "chmod -R u+rwx " + ShellQuote(dir_) + " && rm -rf " + ShellQuote(dir_);
  if (system(rm.c_str()) != 0) fprintf(stderr, "cannot remove %s\n", dir_.c_str());
}

void AsNobody::Write(const std::string& rel, const std::string& text) const {
  const std::string path = Abs(rel);
  const std::string cmd = "mkdir -p \"$(dirname " + ShellQuote(path) + ")\" && printf %s " +
                          ShellQuote(text) + " > " + ShellQuote(path);
  REQUIRE(system(cmd.c_str()) == 0);
}

CliResult AsNobody::Modrace(const std::string& args) const {
  const std::string out = Abs("stdout"), err = Abs("stderr");
  const std::string cmd = "cd / && exec env -u MODRACED -u XDG_RUNTIME_DIR /usr/bin/setpriv --reuid=65534 "
                          "--regid=65534 --clear-groups " + ShellQuote(Abs("modrace")) + " " +
                          args + " </dev/null >" + ShellQuote(out) + " 2>" + ShellQuote(err);
  CliResult r;
  r.status = StatusOf(system(cmd.c_str()));
  r.out = Slurp(out);
  r.err = Slurp(err);
  return r;
}

}  // namespace modrace

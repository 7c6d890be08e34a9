// SPDX-License-Identifier: GPL-2.0-only
#include "client/daemon_launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "client/exit_codes.h"
#include "common/clock.h"
#include "common/strings.h"
#include "common/unique_fd.h"

namespace modrace {

namespace {

// modraced's fd for --ready-fd.
constexpr int kReadyFd = 3;
// How much of modraced's stderr to keep for an error message.
constexpr size_t kMaxStderr = 64 * 1024;

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::string SelfDir() {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "";
  std::string self(buf, static_cast<size_t>(n));
  const size_t slash = self.rfind('/');
  return slash == std::string::npos ? "" : self.substr(0, slash);
}

// What a starting modraced says: its ready line and its stderr, each
// through a pipe read until it closes (or the caller stops reading).
struct DaemonPipes {
  UniqueFd ready;
  UniqueFd err;
  std::string ready_text;
  std::string err_text;

  bool has_ready_line() const { return ready_text.find('\n') != std::string::npos; }
};

// Appends one read of `fd` to `out` (kept to kMaxStderr); closes `fd` at end
// of file or on an error.
void ReadInto(UniqueFd* fd, std::string* out) {
  char buf[4096];
  const ssize_t r = read(fd->get(), buf, sizeof(buf));
  if (r > 0) {
    const size_t n = static_cast<size_t>(r);
    if (out->size() < kMaxStderr) out->append(buf, std::min(n, kMaxStderr - out->size()));
  } else if (r == 0 || errno != EINTR) {
    fd->Reset();
  }
}

// Reads both pipes (a closed one is skipped) until done() holds, both are
// closed, or `deadline` (CLOCK_MONOTONIC ms) passes.
void ReadPipes(DaemonPipes* p, int64_t deadline, const std::function<bool()>& done) {
  while (!done() && (p->ready.valid() || p->err.valid())) {
    const int64_t left = deadline - NowMs();
    if (left <= 0) break;
    // poll() skips the entry of a closed pipe (fd -1).
    struct pollfd fds[2] = {{p->ready.get(), POLLIN, 0}, {p->err.get(), POLLIN, 0}};
    const int n = poll(fds, 2, static_cast<int>(left));
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    if (fds[0].revents != 0) ReadInto(&p->ready, &p->ready_text);
    if (fds[1].revents != 0) ReadInto(&p->err, &p->err_text);
  }
}

// The child's side: never returns.
// `parent`: the launching process, when the daemon dies with it (else 0).
[[noreturn]] void ExecDaemon(const std::string& binary, std::vector<std::string>& args,
                             int ready_write, int err_write, pid_t parent) {
  setsid();  // no terminal: the user's Ctrl-C is not the daemon's
  if (parent > 0) {
    // Kept across execve; the check covers a parent that died before it.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(0);
  }
  // A reader of stderr that went away must not kill the daemon later.
  signal(SIGPIPE, SIG_IGN);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // Move the pipe ends out of the way of 0..3 first, then into place.
  const int ready = fcntl(ready_write, F_DUPFD, 10);
  const int err = fcntl(err_write, F_DUPFD, 10);
  const int devnull = open("/dev/null", O_RDWR);
  if (ready < 0 || err < 0 || devnull < 0) _exit(127);
  dup2(devnull, STDIN_FILENO);
  dup2(devnull, STDOUT_FILENO);
  dup2(err, STDERR_FILENO);
  dup2(ready, kReadyFd);  // dup2 clears FD_CLOEXEC on the copy
  if (chdir("/") != 0) _exit(127);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(binary.c_str(), argv.data());
  const std::string msg = "modraced: cannot run " + binary + ": " + strerror(errno) + "\n";
  ssize_t ignored = write(STDERR_FILENO, msg.data(), msg.size());
  (void)ignored;
  _exit(127);
}

}  // namespace

std::string AbsolutePath(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) return path;
  return std::string(cwd) + "/" + path;
}

bool FindModraced(std::string* path, std::string* error) {
  if (const char* env = getenv("MODRACED"); env != nullptr && env[0] != '\0') {
    if (!IsExecutableFile(env)) {
      *error = std::string("MODRACED=") + env + " is not an executable file";
      return false;
    }
    *path = AbsolutePath(env);
    return true;
  }
  const std::string self_dir = SelfDir();
  if (!self_dir.empty()) {
    for (const std::string& candidate :
         {self_dir + "/modraced", self_dir + "/../daemon/modraced"}) {
      if (IsExecutableFile(candidate)) {
        *path = candidate;
        return true;
      }
    }
  }
  if (const char* env_path = getenv("PATH"); env_path != nullptr) {
    std::string dirs = env_path;
    size_t start = 0;
    while (start <= dirs.size()) {
      size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      const std::string dir = end > start ? dirs.substr(start, end - start) : ".";
      if (IsExecutableFile(dir + "/modraced")) {
        *path = AbsolutePath(dir + "/modraced");
        return true;
      }
      start = end + 1;
    }
  }
  *error =
      "cannot find modraced: not beside " + (self_dir.empty() ? "this binary" : self_dir) +
      ", not on PATH; set MODRACED=/path/to/modraced or install both (scripts/install)";
  return false;
}

namespace {

// modraced's command line for `options` (every path absolute: it runs in "/").
std::vector<std::string> DaemonArgs(const LaunchOptions& options) {
  std::vector<std::string> args = {"--root", AbsolutePath(options.root), "--backend",
                                   options.backend, "--ready-fd", std::to_string(kReadyFd)};
  if (!options.socket_path.empty()) {
    args.insert(args.end(), {"--socket", AbsolutePath(options.socket_path)});
  }
  if (!options.report_path.empty()) {
    args.insert(args.end(), {"--report", AbsolutePath(options.report_path)});
  }
  if (!options.record_path.empty()) {
    args.insert(args.end(), {"--record", AbsolutePath(options.record_path)});
  }
  if (options.build_parent > 0) {
    args.insert(args.end(), {"--build-parent", std::to_string(options.build_parent)});
  }
  return args;
}

// modraced `pid` closed its ready pipe without a ready line, or was not
// ready by the deadline: its exit code for the client, and why in *error.
int NotReady(pid_t pid, bool timed_out, int timeout_ms, DaemonPipes* pipes,
             std::string* error) {
  if (timed_out) kill(pid, SIGTERM);
  // It is exiting: its stderr ends when it does.
  pipes->ready.Reset();
  ReadPipes(pipes, NowMs() + 5000, [] { return false; });
  const int status = ReapWithin(pid, 5000);
  const std::string said(Trim(pipes->err_text));
  if (timed_out) {
    *error = "modraced was not ready within " + std::to_string(timeout_ms / 1000) +
             " s; stopped it" + (said.empty() ? "" : ":\n" + said);
    return kExitWatcher;
  }
  if (WIFEXITED(status)) {
    *error = said.empty() ? "modraced exited with status " +
                                std::to_string(WEXITSTATUS(status)) + " before it was ready"
                          : said;
    return WEXITSTATUS(status) == kExitUsage ? kExitUsage : kExitWatcher;
  }
  *error = "modraced was killed by signal " +
           std::to_string(WIFSIGNALED(status) ? WTERMSIG(status) : 0) + " before it was ready" +
           (said.empty() ? "" : ":\n" + said);
  return kExitWatcher;
}

}  // namespace

int ReapWithin(pid_t pid, int timeout_ms) {
  const int64_t deadline = NowMs() + timeout_ms;
  int status = 0;
  for (;;) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) return status;
    if (NowMs() >= deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return status;
    }
    poll(nullptr, 0, 10);  // waiting for an exit, not for data
  }
}

int LaunchDaemon(const LaunchOptions& options, LaunchedDaemon* daemon, std::string* error) {
  std::string binary;
  if (!FindModraced(&binary, error)) return kExitWatcher;
  std::vector<std::string> args = DaemonArgs(options);
  Pipe ready, err;
  int failed = OpenPipe(&ready, O_CLOEXEC);
  if (failed == 0) failed = OpenPipe(&err, O_CLOEXEC);
  if (failed != 0) {
    *error = std::string("pipe: ") + strerror(failed);
    return kExitWatcher;
  }
  const pid_t parent = options.die_with_parent ? getpid() : 0;
  const pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + strerror(errno);
    return kExitWatcher;
  }
  if (pid == 0) ExecDaemon(binary, args, ready.write.get(), err.write.get(), parent);
  ready.write.Reset();
  err.write.Reset();

  DaemonPipes pipes{std::move(ready.read), std::move(err.read), "", ""};
  const int64_t deadline = NowMs() + options.ready_timeout_ms;
  ReadPipes(&pipes, deadline, [&] { return !pipes.ready.valid() || pipes.has_ready_line(); });
  if (StartsWith(pipes.ready_text, "ready ") && pipes.has_ready_line()) {
    // Later stderr lines go nowhere (modraced ignores SIGPIPE); `pipes`
    // closes both ends here.
    daemon->pid = pid;
    daemon->socket_path = pipes.ready_text.substr(6, pipes.ready_text.find('\n') - 6);
    return kExitClean;
  }
  return NotReady(pid, NowMs() >= deadline, options.ready_timeout_ms, &pipes, error);
}

}  // namespace modrace

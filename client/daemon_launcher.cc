#include "client/daemon_launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "client/exit_codes.h"

namespace modrace {

namespace {

// modraced's fd for --ready-fd.
constexpr int kReadyFd = 3;
// How much of modraced's stderr to keep for an error message.
constexpr size_t kMaxStderr = 64 * 1024;

int64_t NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

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

// Waits up to `timeout_ms` for `pid` to exit; SIGKILLs it after that.
// Returns its wait status.
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
    poll(nullptr, 0, 20);  // waiting for an exit, not for data
  }
}

void AppendCapped(std::string* out, const char* data, size_t n) {
  if (out->size() < kMaxStderr) out->append(data, std::min(n, kMaxStderr - out->size()));
}

// The child's side: never returns.
[[noreturn]] void ExecDaemon(const std::string& binary, std::vector<std::string>& args,
                             int ready_write, int err_write) {
  setsid();  // no terminal: the user's Ctrl-C is not the daemon's
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

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
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

int LaunchDaemon(const LaunchOptions& options, LaunchedDaemon* daemon, std::string* error) {
  std::string binary;
  if (!FindModraced(&binary, error)) return kExitWatcher;
  // modraced runs in "/": every path it gets must be absolute.
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
  int ready[2], err[2];
  if (pipe2(ready, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + strerror(errno);
    return kExitWatcher;
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + strerror(errno);
    close(ready[0]);
    close(ready[1]);
    return kExitWatcher;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + strerror(errno);
    for (int fd : {ready[0], ready[1], err[0], err[1]}) close(fd);
    return kExitWatcher;
  }
  if (pid == 0) ExecDaemon(binary, args, ready[1], err[1]);
  close(ready[1]);
  close(err[1]);

  std::string ready_text, err_text;
  bool ready_open = true, err_open = true;
  const int64_t deadline = NowMs() + options.ready_timeout_ms;
  while (ready_open && ready_text.find('\n') == std::string::npos) {
    const int left = static_cast<int>(deadline - NowMs());
    if (left <= 0) break;
    struct pollfd p[2] = {{ready[0], POLLIN, 0}, {err_open ? err[0] : -1, POLLIN, 0}};
    const int n = poll(p, 2, left);
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    char buf[4096];
    if (p[0].revents != 0) {
      const ssize_t r = read(ready[0], buf, sizeof(buf));
      if (r > 0) {
        ready_text.append(buf, static_cast<size_t>(r));
      } else if (r == 0 || errno != EINTR) {
        ready_open = false;
      }
    }
    if (err_open && p[1].revents != 0) {
      const ssize_t r = read(err[0], buf, sizeof(buf));
      if (r > 0) {
        AppendCapped(&err_text, buf, static_cast<size_t>(r));
      } else if (r == 0 || errno != EINTR) {
        err_open = false;
      }
    }
  }
  close(ready[0]);
  if (ready_text.rfind("ready ", 0) == 0 && ready_text.find('\n') != std::string::npos) {
    // Later stderr lines go nowhere (modraced ignores SIGPIPE).
    close(err[0]);
    daemon->pid = pid;
    daemon->socket_path = ready_text.substr(6, ready_text.find('\n') - 6);
    return kExitClean;
  }
  const bool timed_out = NowMs() >= deadline;
  if (timed_out) kill(pid, SIGTERM);
  // It closed the ready pipe without a ready line: it is exiting. Its
  // stderr ends when it does.
  const int64_t drain_deadline = NowMs() + 5000;
  while (err_open && NowMs() < drain_deadline) {
    struct pollfd p = {err[0], POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    const ssize_t r = read(err[0], buf, sizeof(buf));
    if (r > 0) {
      AppendCapped(&err_text, buf, static_cast<size_t>(r));
    } else if (r == 0 || errno != EINTR) {
      err_open = false;
    }
  }
  close(err[0]);
  const int status = ReapWithin(pid, 5000);
  const std::string said = Trimmed(err_text);
  if (timed_out) {
    *error = "modraced was not ready within " + std::to_string(options.ready_timeout_ms / 1000) +
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

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "client/foreground_command.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "common/clock.h"
#include "common/unique_fd.h"

namespace modrace {

namespace {

// As timeout(1) forwards them; a CI runner cancelling a job sends one of
// them to modrace alone (GitHub SIGINT then SIGTERM, GitLab SIGTERM).
constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
constexpr size_t kNumForwarded = sizeof(kForwarded) / sizeof(kForwarded[0]);

// Self-pipe: the handler only writes the signal number to this write end
// (-1 outside RunForegroundCommand); the loop acts.
int g_signal_write = -1;

void OnSignal(int sig) {
  const int saved = errno;
  const unsigned char b = static_cast<unsigned char>(sig);
  ssize_t ignored = write(g_signal_write, &b, 1);
  (void)ignored;
  errno = saved;
}

int StatusOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

// Hands the terminal to process group `pgrp` (ours or the child's), as a
// shell does. SIGTTOU is blocked: a background group may do this then.
void GiveTerminal(pid_t pgrp) {
  sigset_t ttou, old;
  sigemptyset(&ttou);
  sigaddset(&ttou, SIGTTOU);
  sigprocmask(SIG_BLOCK, &ttou, &old);
  tcsetpgrp(STDIN_FILENO, pgrp);
  sigprocmask(SIG_SETMASK, &old, nullptr);
}

// Waits for the child `pid` (its own process group), forwarding the
// signals read from `signals` to the group and calling on_tick every
// tick_ms (0: never). Returns true with *wait_status once it exited.
// *received: the first signal forwarded (0: none).
bool WaitForeground(pid_t pid, int signals, int tick_ms, const std::function<void()>& on_tick,
                    int* wait_status, int* received) {
  const bool ticks = tick_ms > 0 && on_tick;
  int64_t next_tick = NowMs() + tick_ms;
  for (;;) {
    const pid_t r = waitpid(pid, wait_status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) return false;
    const int wait = ticks ? static_cast<int>(std::max<int64_t>(0, next_tick - NowMs())) : -1;
    struct pollfd p = {signals, POLLIN, 0};
    if (poll(&p, 1, wait) > 0) {
      unsigned char sigs[64];
      const ssize_t got = read(signals, sigs, sizeof(sigs));
      for (ssize_t i = 0; i < got; ++i) {
        if (sigs[i] == SIGCHLD) continue;
        if (*received == 0) *received = sigs[i];
        kill(-pid, sigs[i]);
      }
    }
    if (ticks && NowMs() >= next_tick) {
      on_tick();
      next_tick = NowMs() + tick_ms;
    }
  }
}

}  // namespace

std::string SignalName(int sig) {
  const char* name = sigabbrev_np(sig);
  return name != nullptr ? std::string("SIG") + name : "signal " + std::to_string(sig);
}

std::string DescribeStatus(int status) {
  if (status > 128 && status < 128 + 65) {
    const char* name = sigabbrev_np(status - 128);
    return "killed by signal " + std::to_string(status - 128) +
           (name != nullptr ? std::string(" (SIG") + name + ")" : "");
  }
  return "exit " + std::to_string(status);
}

std::string DescribeBuild(const ForegroundResult& build) {
  if (!build.started) return "build did not start (" + DescribeStatus(build.status) + ")";
  if (build.status == 0) return "build succeeded";
  if (build.status > 128 && build.status < 128 + 65) return "build " + DescribeStatus(build.status);
  return "build failed (" + DescribeStatus(build.status) + ")";
}

ForegroundResult RunForegroundCommand(const std::vector<std::string>& argv, int tick_ms,
                                      const std::function<void()>& on_tick) {
  ForegroundResult result;
  result.status = 127;
  if (argv.empty()) {
    result.error = "no command given";
    return result;
  }
  const bool own_terminal =
      isatty(STDIN_FILENO) == 1 && tcgetpgrp(STDIN_FILENO) == getpgrp();
  Pipe exec_error;  // the child's errno when exec fails; EOF when it worked
  Pipe signals;
  int failed = OpenPipe(&exec_error, O_CLOEXEC);
  if (failed == 0) failed = OpenPipe(&signals, O_CLOEXEC | O_NONBLOCK);
  if (failed != 0) {
    result.error = std::string("pipe: ") + strerror(failed);
    return result;
  }
  g_signal_write = signals.write.get();
  struct sigaction act, old_actions[kNumForwarded], old_chld;
  memset(&act, 0, sizeof(act));
  act.sa_handler = OnSignal;
  sigemptyset(&act.sa_mask);
  for (size_t i = 0; i < kNumForwarded; ++i) sigaction(kForwarded[i], &act, &old_actions[i]);
  sigaction(SIGCHLD, &act, &old_chld);

  const pid_t pid = fork();
  if (pid == 0) {
    // What the user's shell gave modrace (SIG_IGN survives exec).
    for (size_t i = 0; i < kNumForwarded; ++i) sigaction(kForwarded[i], &old_actions[i], nullptr);
    sigaction(SIGCHLD, &old_chld, nullptr);
    setpgid(0, 0);
    if (own_terminal) GiveTerminal(getpid());
    std::vector<char*> cargv;
    for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    execvp(cargv[0], cargv.data());
    const int e = errno;
    ssize_t ignored = write(exec_error.write.get(), &e, sizeof(e));
    (void)ignored;
    _exit(127);
  }
  exec_error.write.Reset();
  int wait_status = 0;
  bool exited = false;
  if (pid < 0) {
    result.error = std::string("fork: ") + strerror(errno);
  } else {
    setpgid(pid, pid);  // also here: no window where a forwarded signal misses it
    if (own_terminal) GiveTerminal(pid);
    int e = 0;
    ssize_t n;
    do {
      n = read(exec_error.read.get(), &e, sizeof(e));
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof(e))) {
      result.error = "cannot run " + argv[0] + ": " + strerror(e);
      result.status = e == ENOENT ? 127 : 126;
    } else {
      result.started = true;
    }
    exited = WaitForeground(pid, signals.read.get(), tick_ms, on_tick, &wait_status,
                            &result.signal_received);
    if (own_terminal) GiveTerminal(getpgrp());
  }
  for (size_t i = 0; i < kNumForwarded; ++i) sigaction(kForwarded[i], &old_actions[i], nullptr);
  sigaction(SIGCHLD, &old_chld, nullptr);
  g_signal_write = -1;  // the handlers are gone: `signals` may close
  if (exited && result.started) result.status = StatusOf(wait_status);
  return result;
}

ForegroundResult RunShellCommand(const std::string& script) {
  return RunForegroundCommand({"/bin/sh", "-c", script}, 0, nullptr);
}

}  // namespace modrace

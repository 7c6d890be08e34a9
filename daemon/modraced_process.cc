// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/modraced_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

namespace modrace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

SocketTmpDir::SocketTmpDir() {
  char tmpl[] = "/tmp/modraced-test-XXXXXX";
  path = mkdtemp(tmpl);
}

SocketTmpDir::~SocketTmpDir() { RemoveTree(path); }

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool DaemonProcess::Start(const std::vector<std::string>& args) {
  int ready[2];
  REQUIRE(pipe2(ready, O_CLOEXEC) == 0);
  std::vector<std::string> argv = {"daemon/modraced"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--ready-fd");
  argv.push_back("3");
  int err_fd = -1;
  if (!stderr_file_.empty()) {
    err_fd = open(stderr_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    REQUIRE(err_fd >= 0);
  }
  pid_ = fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    if (err_fd >= 0) dup2(err_fd, 2);
    if (ready[1] == 3) {
      fcntl(3, F_SETFD, 0);  // dup2 onto itself would keep O_CLOEXEC
    } else {
      dup2(ready[1], 3);  // clears O_CLOEXEC on the copy
    }
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  if (err_fd >= 0) close(err_fd);
  close(ready[1]);
  std::string line;
  char buf[512];
  struct pollfd p = {ready[0], POLLIN, 0};
  const int64_t deadline = NowMs() + 60000;
  while (line.find('\n') == std::string::npos && NowMs() < deadline) {
    if (poll(&p, 1, 1000) <= 0) continue;
    const ssize_t n = read(ready[0], buf, sizeof(buf));
    if (n <= 0) break;
    line.append(buf, static_cast<size_t>(n));
  }
  close(ready[0]);
  if (line.rfind("ready ", 0) == 0) {
    socket_ = line.substr(6, line.find('\n') - 6);
    return true;
  }
  exit_code_ = Wait();
  return false;
}

void DaemonProcess::Signal(int sig) {
  if (pid_ > 0) kill(pid_, sig);
}

namespace {
int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}
}  // namespace

int DaemonProcess::Wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  exit_code_ = ExitCode(status);
  return exit_code_;
}

int DaemonProcess::WaitFor(int64_t timeout_ms) {
  if (pid_ <= 0) return exit_code_;
  const int64_t deadline = NowMs() + timeout_ms;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      exit_code_ = ExitCode(status);
      return exit_code_;
    }
    if (NowMs() >= deadline) return -2;
    poll(nullptr, 0, 10);  // waiting for an exit, not for data
  }
}

const std::string& TestBackend() {
  static const std::string backend = [] {
    const char* b = getenv("MODRACE_TEST_BACKEND");
    return std::string(b != nullptr && *b != '\0' ? b : "inotify");
  }();
  return backend;
}

bool Inotify() { return TestBackend() == "inotify"; }

std::string ModracedPath() {
  char cwd[4096];
  return std::string(getcwd(cwd, sizeof cwd) != nullptr ? cwd : ".") + "/daemon/modraced";
}

bool BackendUnavailable() {
  if (TestBackend() == "fanotify" && geteuid() != 0) {
    MESSAGE("SKIPPED: the fanotify backend needs root (CI runs as root)");
    return true;
  }
  return false;
}

Running::Running(const std::function<void(const TestTree&)>& prepare) {
  Options options;
  options.prepare = prepare;
  Begin(options);
}

Running::Running(const Options& options) { Begin(options); }

void Running::Begin(const Options& options) {
  if (options.prepare) options.prepare(tree);
  report = options.report.empty() ? out.Abs("report.json") : options.report;
  record = out.Abs("events.jsonl");
  if (options.capture_stderr) {
    stderr_file = sockets.path + "/stderr.txt";
    daemon.set_stderr_file(stderr_file);
  }
  REQUIRE(daemon.Start({"--root", tree.root(), "--socket", sockets.path + "/d.sock", "--report",
                        report, "--record", record, "--backend", TestBackend()}));
  std::string error;
  REQUIRE_MESSAGE(client.Connect(daemon.socket(), &error), error);
}

Reply Running::Call(const std::string& cmd, nlohmann::json args) {
  Reply reply;
  std::string error;
  REQUIRE_MESSAGE(client.Call(cmd, args, &reply, &error), error);
  return reply;
}

void Running::Barrier() {
  Reply r = Call("barrier");
  REQUIRE_MESSAGE(r.ok, r.error_message);
}

Report Running::GetReport() {
  Reply r = Call("report");
  REQUIRE(r.ok);
  return r.result.at("report").get<Report>();
}

std::string Running::Stderr() const { return stderr_file.empty() ? "" : Slurp(stderr_file); }

bool Running::Has(const Report& r, FindingKind kind) {
  for (const auto& f : r.findings) {
    if (f.kind == kind) return true;
  }
  return false;
}

}  // namespace modrace

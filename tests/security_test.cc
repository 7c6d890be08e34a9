// SPDX-License-Identifier: GPL-2.0-only
// Security promises of the real modraced binary (docs/architecture.md,
// Reliability and bad input): a
// private socket, peers of other uids refused, report and record files
// never written through symlinks, nothing outside the tree read or named,
// and bounded clients, lines and per-client output. Needs root (another
// uid for the peer check, chown); skips with a message otherwise. CI runs
// as root.

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "common/clock.h"
#include "common/daemon_client.h"
#include "common/test_tree.h"
#include "proto/protocol.h"

extern char** environ;

namespace modrace {
namespace {

constexpr uid_t kNobody = 65534;

bool IsRoot() { return geteuid() == 0; }

// Under ASan or TSan freed memory sits in quarantine and shadow memory
// grows, so resident size says nothing about the daemon's own bounds: the
// memory checks then only report the figures.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kRssMeaningful = false;
#else
constexpr bool kRssMeaningful = true;
#endif

void CheckRssGrowth(long before_kb, long after_kb, long limit_kb) {
  const std::string note = kRssMeaningful ? ")" : ", not checked under a sanitizer)";
  MESSAGE("daemon RSS " << before_kb << " -> " << after_kb << " KiB (limit +" << limit_kb
                        << " KiB" << note);
  if (kRssMeaningful) CHECK(after_kb - before_kb < limit_kb);
}

#define SKIP_UNLESS_ROOT()                                                          \
  do {                                                                              \
    if (!IsRoot()) {                                                                \
      MESSAGE("SKIPPED: needs root (another uid, chown); CI runs these as root"); \
      return;                                                                       \
    }                                                                               \
  } while (0)

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A short directory under /tmp (socket paths are limited to 107 bytes),
// with the given mode, removed at the end.
struct ShortDir {
  explicit ShortDir(mode_t mode = 0700) {
    char tmpl[] = "/tmp/modsec-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path = tmpl;
    REQUIRE(chmod(path.c_str(), mode) == 0);
  }
  ~ShortDir() { RemoveTree(path); }
  std::string path;
};

// modraced as a child, with its stderr kept in a file.
class Daemon {
 public:
  ~Daemon() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (!err_path_.empty()) unlink(err_path_.c_str());
  }

  // Starts modraced; true once it printed its ready line. `env` entries
  // ("K=V") are added to the environment.
  bool Start(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    char tmpl[] = "/tmp/modsec-err-XXXXXX";
    const int err_fd = mkstemp(tmpl);
    REQUIRE(err_fd >= 0);
    err_path_ = tmpl;
    int ready[2];
    REQUIRE(pipe2(ready, O_CLOEXEC) == 0);
    std::vector<std::string> argv = {"daemon/modraced"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--ready-fd", "3"});
    std::vector<std::string> envs;
    for (char** e = environ; *e != nullptr; ++e) envs.push_back(*e);
    envs.insert(envs.end(), env.begin(), env.end());
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(err_fd, 2);
      if (ready[1] == 3) {
        fcntl(3, F_SETFD, 0);
      } else {
        dup2(ready[1], 3);  // clears O_CLOEXEC on the copy
      }
      const int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      std::vector<char*> cargv, cenv;
      for (auto& a : argv) cargv.push_back(a.data());
      cargv.push_back(nullptr);
      for (auto& e : envs) cenv.push_back(e.data());
      cenv.push_back(nullptr);
      execve(cargv[0], cargv.data(), cenv.data());
      _exit(127);
    }
    close(err_fd);
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

  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
  }
  int Stop() {  // SIGTERM: flush the report, exit 0
    kill(pid_, SIGTERM);
    return Wait();
  }
  // Resident memory in KiB, from /proc.
  long RssKb() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string key;
    while (in >> key) {
      if (key == "VmRSS:") {
        long kb = 0;
        in >> kb;
        return kb;
      }
    }
    return -1;
  }
  std::string Stderr() const { return Slurp(err_path_); }
  const std::string& socket() const { return socket_; }
  int exit_code() const { return exit_code_; }

 private:
  pid_t pid_ = -1;
  std::string socket_;
  std::string err_path_;
  int exit_code_ = -1;
};

int ConnectRaw(const std::string& path, bool nonblock) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
  REQUIRE(fd >= 0);
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

Reply MustCall(DaemonClient& c, const std::string& cmd, int timeout_ms = 20000) {
  Reply reply;
  std::string error;
  REQUIRE_MESSAGE(c.Call(cmd, nlohmann::json::object(), &reply, &error, timeout_ms), error);
  return reply;
}

// Runs argv (execvp) and returns its stdout; *status gets the exit code.
std::string Run(const std::vector<std::string>& argv, int* status) {
  int out[2];
  REQUIRE(pipe(out) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    std::vector<char*> cargv;
    for (auto a : argv) cargv.push_back(strdup(a.c_str()));
    cargv.push_back(nullptr);
    execvp(cargv[0], cargv.data());
    _exit(127);
  }
  close(out[1]);
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = read(out[0], buf, sizeof(buf))) > 0) text.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int st = 0;
  waitpid(pid, &st, 0);
  *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return text;
}

// A client run as uid/gid 65534 by setpriv: connects, asks `hello`, and
// prints what became of it.
std::string ConnectAsNobody(const std::string& socket) {
  const std::string script =
      "import socket, sys\n"
      "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
      "s.settimeout(10)\n"
      "try:\n"
      "    s.connect(sys.argv[1])\n"
      "except PermissionError:\n"
      "    print('connect-denied'); sys.exit(0)\n"
      "try:\n"
      "    s.sendall(b'{\"id\": 1, \"cmd\": \"hello\"}\\n')\n"
      "    data = s.recv(65536)\n"
      "except (ConnectionResetError, BrokenPipeError):\n"
      "    data = b''\n"
      "except socket.timeout:\n"
      "    print('timeout'); sys.exit(0)\n"
      "print('closed-without-reply' if not data else\n"
      "      'replied: ' + data.decode(errors='replace'))\n";
  int status = 0;
  const std::string out =
      Run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3",
           "-c", script, socket},
          &status);
  CHECK_MESSAGE(status == 0, "setpriv/python3 exited " << status << ": " << out);
  return out.substr(0, out.find('\n'));
}

void MakeClash(const TestTree& tree) {
  tree.Write("a/foo.mod", "a/foo.o\n");
  tree.Write("b/foo.mod", "b/foo.o\n");
}

}  // namespace

TEST_CASE("the socket directory is 0700 and ours, the socket 0600") {
  SKIP_UNLESS_ROOT();
  TestTree tree;
  ShortDir xdg(0755);
  const std::string dir = xdg.path + "/modrace";
  {
    Daemon d;
    REQUIRE_MESSAGE(d.Start({"--root", tree.root()}, {"XDG_RUNTIME_DIR=" + xdg.path}),
                    d.Stderr());
    CHECK(d.socket().rfind(dir + "/", 0) == 0);
    struct stat st;
    REQUIRE(lstat(dir.c_str(), &st) == 0);
    CHECK(S_ISDIR(st.st_mode));
    CHECK((st.st_mode & 07777) == 0700);
    CHECK(st.st_uid == getuid());
    REQUIRE(lstat(d.socket().c_str(), &st) == 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 07777) == 0600);
    CHECK(d.Stop() == 0);
  }
  SUBCASE("a directory open to others is made 0700") {
    REQUIRE(chmod(dir.c_str(), 0777) == 0);
    Daemon d;
    REQUIRE_MESSAGE(d.Start({"--root", tree.root()}, {"XDG_RUNTIME_DIR=" + xdg.path}),
                    d.Stderr());
    struct stat st;
    REQUIRE(lstat(dir.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0700);
  }
  SUBCASE("a directory of another uid is refused") {
    REQUIRE(chown(dir.c_str(), kNobody, kNobody) == 0);
    Daemon d;
    CHECK_FALSE(d.Start({"--root", tree.root()}, {"XDG_RUNTIME_DIR=" + xdg.path}));
    CHECK(d.exit_code() == 3);
    CHECK(d.Stderr().find("belongs to uid 65534") != std::string::npos);
  }
  SUBCASE("a symlink in place of the directory is refused") {
    ShortDir elsewhere(0700);
    REQUIRE(RemoveTree(dir));
    REQUIRE(symlink(elsewhere.path.c_str(), dir.c_str()) == 0);
    Daemon d;
    CHECK_FALSE(d.Start({"--root", tree.root()}, {"XDG_RUNTIME_DIR=" + xdg.path}));
    CHECK(d.exit_code() == 3);
    CHECK(d.Stderr().find("symlink") != std::string::npos);
  }
  SUBCASE("an explicit --socket in an open directory is still 0600") {
    ShortDir open_dir(0755);
    Daemon d;
    REQUIRE_MESSAGE(d.Start({"--root", tree.root(), "--socket", open_dir.path + "/s.sock"}),
                    d.Stderr());
    struct stat st;
    REQUIRE(lstat(d.socket().c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
  }
}

TEST_CASE("a client of another uid is refused; root is still served") {
  SKIP_UNLESS_ROOT();
  TestTree tree;
  ShortDir sockets(0711);  // nobody may reach the socket, not list the directory
  Daemon d;
  REQUIRE_MESSAGE(d.Start({"--root", tree.root(), "--socket", sockets.path + "/d.sock"}),
                  d.Stderr());
  // First layer: the 0600 socket itself.
  CHECK(ConnectAsNobody(d.socket()) == "connect-denied");
  // Second layer, peer credentials: even on a socket left open to all.
  REQUIRE(chmod(d.socket().c_str(), 0666) == 0);
  CHECK(ConnectAsNobody(d.socket()) == "closed-without-reply");
  CHECK(ConnectAsNobody(d.socket()) == "closed-without-reply");
  DaemonClient root;
  std::string error;
  REQUIRE_MESSAGE(root.Connect(d.socket(), &error), error);
  Reply hello = MustCall(root, "hello");
  CHECK(hello.ok);
  const Reply status = MustCall(root, "status");
  REQUIRE(status.ok);
  // The two peer-credential refusals are counted; the 0600 one never
  // reached the daemon.
  CHECK(status.result.value("rejected_peers", -1) == 2);
  CHECK(status.result.value("refused_clients", -1) == 0);
}

TEST_CASE("--report through a symlink replaces the link, never writes its target") {
  SKIP_UNLESS_ROOT();
  TestTree tree, out;
  out.Write("victim", "precious\n");
  const std::string report = out.Abs("report.json");
  REQUIRE(symlink(out.Abs("victim").c_str(), report.c_str()) == 0);
  const std::string dangling = out.Abs("dangling.json");
  REQUIRE(symlink(out.Abs("never-created").c_str(), dangling.c_str()) == 0);
  ShortDir sockets;
  for (const std::string& path : {report, dangling}) {
    CAPTURE(path);
    Daemon d;
    REQUIRE_MESSAGE(d.Start({"--root", tree.root(), "--socket", sockets.path + "/d.sock",
                             "--report", path}),
                    d.Stderr());
    MakeClash(tree);
    DaemonClient c;
    std::string error;
    REQUIRE_MESSAGE(c.Connect(d.socket(), &error), error);
    CHECK(MustCall(c, "barrier").ok);
    CHECK(d.Stop() == 0);
    struct stat st;
    REQUIRE(lstat(path.c_str(), &st) == 0);
    CHECK(S_ISREG(st.st_mode));  // the link itself was replaced
    const nlohmann::json j = nlohmann::json::parse(Slurp(path), nullptr, false);
    CHECK(j.is_object());
    CHECK(Slurp(path).find("module_name_collision") != std::string::npos);
  }
  CHECK(Slurp(out.Abs("victim")) == "precious\n");
  struct stat st;
  CHECK(lstat(out.Abs("never-created").c_str(), &st) != 0);
}

TEST_CASE("--record at a symlink is refused with a clear error; the target is untouched") {
  SKIP_UNLESS_ROOT();
  TestTree tree, out;
  out.Write("victim", "precious\n");
  const std::string record = out.Abs("events.jsonl");
  REQUIRE(symlink(out.Abs("victim").c_str(), record.c_str()) == 0);
  ShortDir sockets;
  Daemon d;
  CHECK_FALSE(d.Start({"--root", tree.root(), "--socket", sockets.path + "/d.sock", "--record",
                       record}));
  CHECK(d.exit_code() == 2);
  CHECK_MESSAGE(d.Stderr().find("symlink") != std::string::npos, d.Stderr());
  CHECK(Slurp(out.Abs("victim")) == "precious\n");  // not truncated
}

TEST_CASE("a symlink out of the tree: its target is never read, no event names it") {
  SKIP_UNLESS_ROOT();
  TestTree tree, outside, out;
  const std::string secret = "SECRET-OUTSIDE-CONTENT";
  outside.Write("secret.mod", secret + "\n");
  outside.Write("sub/other.mod", secret + "\n");
  tree.Write("real/x.mod", "real/x.o\n");
  // At start-up: a directory link, a file link, and two loops.
  REQUIRE(symlink(outside.root().c_str(), tree.Abs("escape").c_str()) == 0);
  REQUIRE(symlink(outside.Abs("secret.mod").c_str(), tree.Abs("m.mod").c_str()) == 0);
  REQUIRE(symlink(".", tree.Abs("loop").c_str()) == 0);
  REQUIRE(symlink("..", tree.Abs("real/up").c_str()) == 0);
  const std::string record = out.Abs("events.jsonl");
  const std::string report = out.Abs("report.json");
  ShortDir sockets;
  Daemon d;
  std::string backend = "inotify";
  SUBCASE("inotify") { backend = "inotify"; }
  SUBCASE("fanotify") { backend = "fanotify"; }
  CAPTURE(backend);
  if (!d.Start({"--root", tree.root(), "--backend", backend, "--socket",
                sockets.path + "/d.sock", "--record", record, "--report", report})) {
    REQUIRE_MESSAGE(backend == "fanotify", d.Stderr());
    MESSAGE("SKIPPED for fanotify: the daemon cannot use it here: " << d.Stderr());
    return;
  }
  DaemonClient c;
  std::string error;
  REQUIRE_MESSAGE(c.Connect(d.socket(), &error), error);
  // While it runs: the outside changes, and new links appear in the tree.
  outside.Write("secret.mod", secret + " again\n");
  outside.Write("sub/new.mod", secret + "\n");
  REQUIRE(symlink(outside.Abs("secret.mod").c_str(), tree.Abs("late.mod").c_str()) == 0);
  REQUIRE(symlink(outside.Abs("sub").c_str(), tree.Abs("late_dir").c_str()) == 0);
  outside.Write("sub/after.mod", secret + "\n");
  tree.Write("real/y.mod", "real/y.o\n");
  CHECK(MustCall(c, "barrier").ok);
  Reply rep = MustCall(c, "report");
  REQUIRE(rep.ok);
  CHECK(MustCall(c, "status").ok);  // the loops did not hang it
  CHECK(d.Stop() == 0);

  const std::string recorded = Slurp(record);
  const std::string reported = Slurp(report) + rep.result.dump();
  REQUIRE(recorded.find("real/y.mod") != std::string::npos);  // it did record
  for (const std::string* text : {&recorded, &reported}) {
    CHECK(text->find(secret) == std::string::npos);
    CHECK(text->find(outside.root()) == std::string::npos);
    CHECK(text->find("escape/") == std::string::npos);
    CHECK(text->find("late_dir/") == std::string::npos);
    CHECK(text->find("loop/") == std::string::npos);
    CHECK(text->find("real/up/") == std::string::npos);
  }
}

TEST_CASE("limits: line size, per-client output, number of clients") {
  SKIP_UNLESS_ROOT();
  // 512 clients plus the test's own fds.
  struct rlimit rl;
  REQUIRE(getrlimit(RLIMIT_NOFILE, &rl) == 0);
  if (rl.rlim_cur < 2048) {
    rl.rlim_cur = std::min<rlim_t>(rl.rlim_max, 2048);
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  TestTree tree;
  for (int i = 0; i < 50; ++i) {  // a report worth asking for
    tree.Write("a/m" + std::to_string(i) + ".mod", "x.o\n");
    tree.Write("b/m" + std::to_string(i) + ".mod", "x.o\n");
  }
  ShortDir sockets;
  Daemon d;
  REQUIRE_MESSAGE(d.Start({"--root", tree.root(), "--socket", sockets.path + "/d.sock"}),
                  d.Stderr());
  DaemonClient c;
  std::string error;
  REQUIRE_MESSAGE(c.Connect(d.socket(), &error), error);
  REQUIRE(MustCall(c, "barrier").ok);
  const long rss_start = d.RssKb();
  REQUIRE(rss_start > 0);

  SUBCASE("a line over 1 MiB is refused and skipped; 64 MiB without a newline costs no memory") {
    const int fd = ConnectRaw(d.socket(), false);
    REQUIRE(fd >= 0);
    const std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 64; ++i) {
      REQUIRE(send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) ==
              static_cast<ssize_t>(chunk.size()));
    }
    const long rss_mid = d.RssKb();
    const std::string tail = "\n{\"id\": 9, \"cmd\": \"hello\"}\n";
    REQUIRE(send(fd, tail.data(), tail.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(tail.size()));
    std::string all;
    char buf[65536];
    const int64_t until = NowMs() + 20000;
    while (std::count(all.begin(), all.end(), '\n') < 2 && NowMs() < until) {
      struct pollfd p = {fd, POLLIN, 0};
      if (poll(&p, 1, 1000) <= 0) continue;
      const ssize_t n = recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) break;
      all.append(buf, static_cast<size_t>(n));
    }
    close(fd);
    std::istringstream lines(all);
    std::string first, second;
    std::getline(lines, first);
    std::getline(lines, second);
    Reply r1, r2;
    REQUIRE(ParseReply(first, &r1, &error));
    CHECK(r1.error_code == kErrLineTooLong);
    REQUIRE(ParseReply(second, &r2, &error));
    CHECK(r2.ok);
    CHECK(r2.id == 9);
    CheckRssGrowth(rss_start, rss_mid, 16 * 1024);
  }

  SUBCASE("a client that never reads is throttled at the output bound, loses no reply") {
    const int greedy = ConnectRaw(d.socket(), true);
    REQUIRE(greedy >= 0);
    // Requests padded to 2 KiB and a small send buffer: few requests sit
    // in buffers, so the replies owed stay few (fast under sanitizers too),
    // while each 64 KiB read of them still asks for far more than 4 MiB.
    const int small = 4096;
    setsockopt(greedy, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
    const std::string req = "{\"id\": 1, \"cmd\": \"report\"}" + std::string(2000, ' ') + "\n";
    std::string burst;
    for (int i = 0; i < 50; ++i) burst += req;
    size_t sent = 0;
    int64_t blocked_since = -1;
    const int64_t give_up = NowMs() + 60000;
    // Push requests until the daemon has stopped reading us for 2 s.
    while (NowMs() < give_up) {
      const size_t off = sent % req.size();  // keep lines whole across partial sends
      const ssize_t n = send(greedy, burst.data() + off, burst.size() - off, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
        blocked_since = -1;
        continue;
      }
      REQUIRE(errno == EAGAIN);
      if (blocked_since < 0) blocked_since = NowMs();
      if (NowMs() - blocked_since > 2000) break;
      usleep(10000);
    }
    REQUIRE(blocked_since >= 0);  // it was throttled
    const long rss_full = d.RssKb();
    // Everyone else is served meanwhile.
    const int64_t t0 = NowMs();
    CHECK(MustCall(c, "status", 5000).ok);
    CHECK(NowMs() - t0 < 2000);
    MESSAGE("the greedy client got " << sent << " bytes of requests in before it was throttled");
    CheckRssGrowth(rss_start, rss_full, 16 * 1024);  // the 4 MiB bound plus one read

    // Now it reads: every whole request it sent has its reply.
    const size_t expected = sent / req.size();
    size_t replies = 0, ok = 0;
    std::string pending;
    char buf[1 << 16];
    int64_t last_progress = NowMs();
    // Finish the cut request so the daemon answers it too.
    const size_t cut = sent % req.size();
    size_t expected_total = expected;
    if (cut != 0) {
      std::string rest = req.substr(cut);
      while (!rest.empty()) {
        const ssize_t n = send(greedy, rest.data(), rest.size(), MSG_NOSIGNAL);
        if (n > 0) {
          rest.erase(0, static_cast<size_t>(n));
        } else {
          // Drain replies so the daemon reads again.
          const ssize_t m = recv(greedy, buf, sizeof(buf), 0);
          if (m > 0) pending.append(buf, static_cast<size_t>(m));
        }
      }
      ++expected_total;
    }
    while (replies < expected_total && NowMs() - last_progress < 20000) {
      size_t nl;
      while ((nl = pending.find('\n')) != std::string::npos) {
        Reply r;
        if (ParseReply(pending.substr(0, nl), &r, &error) && r.ok) ++ok;
        ++replies;
        pending.erase(0, nl + 1);
      }
      struct pollfd p = {greedy, POLLIN, 0};
      if (poll(&p, 1, 500) <= 0) continue;
      const ssize_t n = recv(greedy, buf, sizeof(buf), 0);
      if (n <= 0) break;
      pending.append(buf, static_cast<size_t>(n));
      last_progress = NowMs();
    }
    close(greedy);
    CHECK(replies == expected_total);
    CHECK(ok == expected_total);
  }

  SUBCASE("512 clients are served, one more is told too_many_clients; a freed slot is reused") {
    constexpr int kMax = 512;
    std::vector<std::unique_ptr<DaemonClient>> clients;
    for (int i = 0; i < kMax - 1; ++i) {  // `c` is already one
      clients.push_back(std::make_unique<DaemonClient>());
      REQUIRE_MESSAGE(clients.back()->Connect(d.socket(), &error), error);
      REQUIRE(clients.back()->SendLine("{\"id\": 1, \"cmd\": \"hello\"}", &error));
    }
    for (auto& one : clients) {  // each was accepted and answered
      std::string line;
      REQUIRE_MESSAGE(one->ReadLine(&line, 20000, &error), error);
    }
    DaemonClient extra;
    REQUIRE(extra.Connect(d.socket(), &error));
    std::string line;
    REQUIRE_MESSAGE(extra.ReadLine(&line, 20000, &error), error);
    Reply refused;
    REQUIRE(ParseReply(line, &refused, &error));
    CHECK_FALSE(refused.ok);
    CHECK(refused.error_code == kErrTooManyClients);
    CHECK(refused.error_message.find("512") != std::string::npos);
    CHECK_FALSE(extra.ReadLine(&line, 20000, &error));  // then closed
    CHECK(error.find("connection closed") != std::string::npos);
    const Reply status = MustCall(c, "status");  // the others carry on
    REQUIRE(status.ok);
    CHECK(status.result.value("refused_clients", -1) == 1);

    clients.pop_back();  // a slot frees; the daemon notices the close soon
    bool served = false;
    const int64_t until = NowMs() + 10000;
    while (!served && NowMs() < until) {
      DaemonClient again;
      Reply reply;
      served = again.Connect(d.socket(), &error) &&
               again.Call("hello", nlohmann::json::object(), &reply, &error, 5000) && reply.ok;
      if (!served) usleep(100000);
    }
    CHECK(served);
  }
  CHECK(d.Stop() == 0);
}

}  // namespace modrace

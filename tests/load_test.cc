// SPDX-License-Identifier: GPL-2.0-only
// Reliability (docs/architecture.md), the load part, end to end against the real
// modraced binary: 200 clients at once ask for reports and subscribe to
// findings while a real `make -j2` writes a module tree with a known number
// of module-name clashes. Every request must get its reply, every
// subscriber every finding, the final report every clash, and the daemon's
// memory must stay under a bound and not grow from round to round.
//
// The daemon is told that it has seen the build with a barrier (docs/architecture.md,
// Flush barrier), never with a sleep.

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "common/daemon_client.h"
#include "daemon/modraced_process.h"
#include "common/test_tree.h"
#include "proto/bytes_json.h"
#include "proto/protocol.h"
#include "proto/report.h"
#include "tests/schema_check.h"

namespace modrace {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
// ASan and TSan both keep shadow memory and freed blocks: other bounds.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

// The shape of the load.
constexpr int kReporters = 90;        // poll report/status/findings back to back
constexpr int kPipeliners = 2;        // of the reporters: bursts of reports, read late
                                      // (and one more of them, the prober, says hello)
constexpr int kSubscribers = 90;      // subscribe before the first build, stay
constexpr int kLateSubscribers = 20;  // connect during each build, leave after it
constexpr int kClients = kReporters + kSubscribers + kLateSubscribers;  // 200
// Pipeliners send bursts of report requests in one write. The daemon
// handles 16 lines of a client per loop turn (ServerLimits::
// max_lines_per_turn) and keeps the rest for the next turns.
//  - During the builds a burst is kBurst requests, read once kHoldBytes of
//    replies wait.
//  - In the greedy phase after the rounds a burst is kGreedyBurst requests
//    and nothing is read for kHoldTurns turns of the daemon's loop (counted
//    by the prober: a hello a turn at most). The reports are about 12 KiB
//    then, so the daemon has queued more than it may for one client
//    (max_pending_output, 4 MiB) and stops reading from it until it
//    catches up.
constexpr int kBurst = 128;
constexpr int kGreedyBurst = 512;
constexpr int kHoldBytes = 16 << 10;  // a burst's replies are 64 KiB at least
constexpr uint64_t kHoldTurns = 32;
constexpr size_t kMaxPendingOutput = 4 << 20;
constexpr int kDefaultRounds = 5;  // MODRACE_LOAD_ROUNDS overrides, to look further
// The build: kClashes module names built in both drivers/a and drivers/b
// (one module_name_collision each), and kUniqueDirs * kUniquePerDir modules
// that clash with nothing.
constexpr int kClashes = 24;
constexpr int kUniqueDirs = 8;
constexpr int kUniquePerDir = 15;

// Memory bounds for the daemon, from /proc/PID/status, chosen from
// measurements on the 2-core dev machine (plain -O2 build, eight runs;
// each run logs its figures):
//   Rounds (a build, 200 clients): VmHWM 7.3-9.1 MiB. VmRSS after round 5
//   minus after round 1: inotify 0 to +0.5 MiB; fanotify +0.3 to +0.9 MiB,
//   the process cache (ProcessTable: every recipe's shell is a new pid;
//   capped at 8192 entries, some 40 rounds; 14 rounds grew 1.7 MiB).
//   The greedy phase: VmHWM 15.0-16.8 MiB, the two pipeliners' queues of
//   up to 4 MiB each included.
// Bounds: growth under 4 MiB: from round 1 to round 5 the daemon answers
// 7000-16000 requests and sees some 440 connections come and go, so
// keeping 600 bytes a request or 10 KiB a connection would cross it.
// VmHWM under 32 MiB, about twice the highest figure.
// Under ASan (--config=asan) the figures include shadow memory and a
// quarantine (capped at 16 MiB for the daemon below): VmHWM 110-150 MiB,
// growth -2.5 to +11 MiB (the quarantine alone may hold 16 MiB more at
// round 5 than at round 1), hence bounds of 256 and 32 MiB there (TSan
// gets the same; not measured).
constexpr long kMaxHwmKb = (kSanitized ? 256 : 32) * 1024;
constexpr long kMaxGrowthKb = (kSanitized ? 32 : 4) * 1024;

// Sets an environment variable (appended with ':' to what it held, when
// `append`) until this goes away.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value, bool append) : name_(std::move(name)) {
    const char* old = getenv(name_.c_str());
    had_ = old != nullptr;
    if (had_) old_ = old;
    const std::string v = append && had_ && !old_.empty() ? old_ + ":" + value : value;
    setenv(name_.c_str(), v.c_str(), 1);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    if (had_) {
      setenv(name_.c_str(), old_.c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::string old_;
  bool had_ = false;
};

// A field of /proc/PID/status in kB ("VmRSS", "VmHWM"), or -1.
long ProcStatusKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      return strtol(line.c_str() + field.size() + 1, nullptr, 10);
    }
  }
  return -1;
}

std::string ClashName(int k) { return "clash" + std::to_string(k); }

// A Makefile in the style of kbuild 6.1: each module's recipe writes its
// object, its DIR/NAME.mod (the objects, one a line) and its .ko (shell
// builtins only: one shell per module), then each directory's modules.order
// and the top one are written. `make clean` removes it all.
std::string GenerateMakefile() {
  std::vector<std::pair<std::string, std::vector<std::string>>> dirs;
  for (const char* side : {"a", "b"}) {
    std::vector<std::string> kos;
    for (int k = 0; k < kClashes; ++k) {
      kos.push_back(std::string("drivers/") + side + "/" + ClashName(k) + ".ko");
    }
    dirs.emplace_back(std::string("drivers/") + side, kos);
  }
  for (int d = 0; d < kUniqueDirs; ++d) {
    std::vector<std::string> kos;
    const std::string dir = "drivers/u" + std::to_string(d);
    for (int k = 0; k < kUniquePerDir; ++k) {
      kos.push_back(dir + "/uniq" + std::to_string(d) + "_" + std::to_string(k) + ".ko");
    }
    dirs.emplace_back(dir, kos);
  }
  std::ostringstream mk;
  mk << "# Generated by tests/load_test.cc\n";
  mk << ".SUFFIXES:\n.PHONY: all clean\n";
  mk << "all: modules.order\n";
  std::string orders;
  for (const auto& [dir, kos] : dirs) {
    mk << dir << ":\n\t@mkdir -p $@\n";
    for (const auto& ko : kos) mk << ko << ": | " << dir << "\n";
    mk << dir << "/modules.order:";
    for (const auto& ko : kos) mk << " " << ko;
    mk << "\n\t@printf '%s\\n' $^ > $@\n";
    orders += " " + dir + "/modules.order";
  }
  mk << "%.ko:\n\t@echo 'object $*.o' > $*.o && echo $*.o > $*.mod && echo 'module $@' > $@\n";
  mk << "modules.order:" << orders << "\n\t@cat $^ > $@\n";
  mk << "clean:\n\t@rm -rf drivers modules.order\n";
  return mk.str();
}

// Runs make in `dir` with `makefile`; returns its exit status.
int RunMake(const std::string& dir, const std::string& makefile,
            const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"make", "-s", "-C", dir, "-f", makefile};
  argv.insert(argv.end(), args.begin(), args.end());
  // Everything is made before the fork: the storm's thread runs meanwhile,
  // so the child does no more than dup2 and exec.
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  const int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(devnull, 1);
    execvp("make", cargv.data());
    _exit(127);
  }
  close(devnull);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// 200 nonblocking connections served by one poll() loop on a thread of its
// own, while the main thread runs the build.
class ClientStorm {
 public:
  enum class Role { kReporter, kPipeliner, kProber, kSubscriber, kLate };
  static bool Subscribes(Role r) { return r == Role::kSubscriber || r == Role::kLate; }
  static bool Pipelines(Role r) { return r == Role::kPipeliner; }

  struct Conn {
    Role role = Role::kReporter;
    int fd = -1;
    std::string in, out;
    int64_t next_id = 1;
    std::deque<std::pair<int64_t, std::string>> waiting;  // id and cmd, oldest first
    // Pipeliners: after a burst not read until kHoldBytes wait, or until
    // the prober's hellos reach hold_until_turn (greedy), or the deadline
    // (which only keeps a stalled daemon from hanging the test).
    bool holding = false;
    uint64_t hold_until_turn = 0;
    int64_t hold_deadline_ms = 0;
    size_t burst_bytes = 0;   // replies to the current burst so far
    int big_bursts = 0;       // this round's bursts answered with over 4 MiB
    int64_t connect_at_ms = 0;  // late subscribers: when to connect
    uint64_t sent = 0, replied = 0;
    uint64_t last_revision = 0;  // of report replies, per round
    uint64_t events_since_status = 0;
    bool subscribed = false;
    bool told_dropped = false;
    bool closed = false;
    std::map<uint64_t, uint64_t> seen;  // finding id -> highest revision streamed
  };

  explicit ClientStorm(std::string socket) : socket_(std::move(socket)) {
    for (int i = 0; i < kReporters; ++i) {
      conns_.push_back(Make(i < kPipeliners    ? Role::kPipeliner
                            : i == kPipeliners ? Role::kProber
                                               : Role::kReporter));
    }
    for (int i = 0; i < kSubscribers; ++i) conns_.push_back(Make(Role::kSubscriber));
  }
  ~ClientStorm() {
    if (thread_.joinable()) {  // a REQUIRE failed mid-round: stop at once
      deadline_ms_ = 0;
      stop_ = true;
      thread_.join();
    }
    for (auto& c : conns_) {
      if (c->fd >= 0) close(c->fd);
    }
  }

  // Starts a round: the reporters come back on new connections (as a CLI
  // would), late subscribers are added, to connect during it. A greedy
  // round (no build) has no late subscribers, and ends only once each
  // pipeliner has had a kGreedyBurst answered with over 4 MiB.
  void StartRound(bool greedy = false) {
    round_start_ = NowMs();
    greedy_ = greedy;
    stop_ = false;
    for (auto& c : conns_) {
      c->last_revision = 0;
      c->big_bursts = 0;
      if (!Subscribes(c->role) && c->fd >= 0 && !c->closed) {
        close(c->fd);
        c->in.clear();
        Connect(c.get());
      }
    }
    for (int i = 0; i < (greedy ? 0 : kLateSubscribers); ++i) {
      auto c = std::make_unique<Conn>();
      c->role = Role::kLate;
      c->connect_at_ms = round_start_ + 40 * (i + 1);
      conns_.push_back(std::move(c));
    }
    thread_ = std::thread([this] { Loop(); });
  }

  // Ends the round: nobody asks anything more (in a greedy round: once each
  // pipeliner has had its big burst; the others keep asking until then),
  // every reply is awaited, and every subscriber must have had every
  // finding in `expected` (id -> revision); all before `deadline_ms`.
  void FinishRound(std::map<uint64_t, uint64_t> expected, int64_t deadline_ms) {
    expected_ = std::move(expected);
    deadline_ms_ = deadline_ms;
    stop_ = true;
    thread_.join();
  }

  // Closes the round's late subscribers.
  void DropLate() {
    for (auto& c : conns_) {
      if (c->role == Role::kLate && c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
      }
    }
    std::vector<std::unique_ptr<Conn>> keep;
    for (auto& c : conns_) {
      if (c->role != Role::kLate) keep.push_back(std::move(c));
    }
    conns_.swap(keep);
  }

  const std::vector<std::unique_ptr<Conn>>& conns() const { return conns_; }
  const std::vector<std::string>& errors() const { return errors_; }
  bool timed_out() const { return timed_out_; }
  uint64_t requests() const { return requests_; }
  uint64_t replies() const { return replies_; }
  uint64_t report_replies() const { return report_replies_; }
  uint64_t stream_lines() const { return stream_lines_; }
  uint64_t bursts() const { return bursts_; }
  uint64_t big_bursts() const { return big_bursts_; }
  uint64_t turns() const { return prober_replies_; }

  // True when `c` had every expected finding streamed, in its latest
  // revision.
  bool HasAll(const Conn& c) const {
    for (const auto& [id, rev] : expected_) {
      auto it = c.seen.find(id);
      if (it == c.seen.end() || it->second < rev) return false;
    }
    return true;
  }

 private:
  std::unique_ptr<Conn> Make(Role role) {
    auto c = std::make_unique<Conn>();
    c->role = role;
    Connect(c.get());
    return c;
  }

  void Error(Conn* c, const std::string& what) {
    if (errors_.size() < 20) {
      static const char* names[] = {"reporter", "pipeliner", "prober", "subscriber",
                                    "late subscriber"};
      errors_.push_back(std::string(names[static_cast<int>(c->role)]) + ": " + what);
    }
    ++error_count_;
  }

  // Runs on the storm's thread too: failures are errors, not REQUIREs.
  void Connect(Conn* c) {
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    strncpy(addr.sun_path, socket_.c_str(), sizeof(addr.sun_path) - 1);
    // A nonblocking connect to a unix socket completes at once or fails
    // with EAGAIN when the backlog is full (not expected: backlog 1024).
    if (c->fd < 0 || connect(c->fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      Error(c, std::string("connect: ") + strerror(errno));
      if (c->fd >= 0) close(c->fd);
      c->fd = -1;
      c->closed = true;
      return;
    }
    if (Subscribes(c->role)) Request(c, "subscribe", {{"since", 0}});
  }

  void Request(Conn* c, const std::string& cmd, const nlohmann::json& args, bool flush = true) {
    const int64_t id = c->next_id++;
    c->waiting.emplace_back(id, cmd);
    c->out += DumpLine({{"id", id}, {"cmd", cmd}, {"args", args}});
    c->out += "\n";
    ++c->sent;
    ++requests_;
    if (flush) Flush(c);
  }

  void Flush(Conn* c) {
    while (!c->out.empty()) {
      const ssize_t n = send(c->fd, c->out.data(), c->out.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN) Error(c, std::string("send: ") + strerror(errno));
        return;
      }
      c->out.erase(0, static_cast<size_t>(n));
    }
  }

  // The reporters' mix: mostly plain reports, a settled one (a barrier
  // first) now and then, status and findings. In the greedy phase they say
  // hello: it is about the pipeliners, and takes 50-90 loop turns.
  void NextReporterRequest(Conn* c) {
    if (greedy_) {
      Request(c, "hello", nlohmann::json::object());
      return;
    }
    switch (c->sent % 10) {
      case 3:
        Request(c, "status", nlohmann::json::object());
        break;
      case 6:
        Request(c, "findings", {{"since", 0}});
        break;
      case 9:
        Request(c, "report", {{"settle", true}});
        break;
      default:
        Request(c, "report", nlohmann::json::object());
    }
  }

  // A burst of plain reports in one write, read late.
  void PipelineBurst(Conn* c) {
    const int n = greedy_ ? kGreedyBurst : kBurst;
    for (int i = 0; i < n; ++i) Request(c, "report", nlohmann::json::object(), false);
    Flush(c);
    c->holding = true;
    c->hold_until_turn = greedy_ ? prober_replies_ + kHoldTurns : 0;
    c->hold_deadline_ms = NowMs() + 30000;
    c->burst_bytes = 0;
    ++bursts_;
  }

  bool StillHolding(Conn* c, int64_t now) {
    if (!c->holding) return false;
    int unread = 0;
    const bool waited = c->hold_until_turn > 0
                            ? prober_replies_ >= c->hold_until_turn
                            : ioctl(c->fd, FIONREAD, &unread) != 0 || unread >= kHoldBytes;
    if (waited || now >= c->hold_deadline_ms) c->holding = false;
    return c->holding;
  }

  void OnLine(Conn* c, const std::string& line) {
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) {
      Error(c, "not a JSON object: " + line.substr(0, 200));
      return;
    }
    if (j.contains("event")) {
      ++stream_lines_;
      if (!Subscribes(c->role)) {
        Error(c, "a stream line to a client that did not subscribe");
      } else if (j["event"] == "finding") {
        const auto& f = j["finding"];
        uint64_t& rev = c->seen[f.at("id").get<uint64_t>()];
        rev = std::max(rev, f.at("revision").get<uint64_t>());
        ++c->events_since_status;
      } else if (j["event"] == "dropped") {
        c->told_dropped = true;
      } else {
        Error(c, "unknown event: " + line.substr(0, 200));
      }
      return;
    }
    // A reply: to the oldest request waiting, in order (none of these
    // requests waits for a barrier but "report settle", which a reporter
    // sends alone).
    if (c->waiting.empty() || !j.contains("id") || j["id"] != c->waiting.front().first) {
      Error(c, "a reply nobody waited for, or out of order: " + line.substr(0, 200));
      return;
    }
    const std::string cmd = c->waiting.front().second;
    c->waiting.pop_front();
    ++c->replied;
    ++replies_;
    if (c->role == Role::kProber) ++prober_replies_;
    if (j.value("ok", false) != true) {
      Error(c, cmd + " failed: " + line.substr(0, 300));
      return;
    }
    const auto& result = j["result"];
    if (cmd == "subscribe") {
      c->subscribed = true;
    } else if (cmd == "report") {
      ++report_replies_;
      if (c->role == Role::kPipeliner) {
        c->burst_bytes += line.size() + 1;
        if (c->waiting.empty() && c->burst_bytes > kMaxPendingOutput) {
          ++c->big_bursts;
          ++big_bursts_;
        }
      }
      if (!result.contains("report") || !result["report"]["findings"].is_array()) {
        Error(c, "a report without findings: " + line.substr(0, 300));
        return;
      }
      // Findings only grow during a build (the reset is before it).
      const uint64_t rev = result.at("revision").get<uint64_t>();
      if (rev < c->last_revision) Error(c, "the report revision went back");
      c->last_revision = rev;
    }
  }

  // Reads what is there; false at EOF or error.
  bool Read(Conn* c) {
    char buf[65536];
    for (;;) {
      const ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN) break;
        Error(c, std::string("recv: ") + strerror(errno));
        return false;
      }
      if (n == 0) return false;
      c->in.append(buf, static_cast<size_t>(n));
    }
    size_t start = 0;
    for (size_t nl; (nl = c->in.find('\n', start)) != std::string::npos; start = nl + 1) {
      OnLine(c, c->in.substr(start, nl - start));
    }
    c->in.erase(0, start);
    return true;
  }

  bool Done() const {
    for (const auto& c : conns_) {
      if (c->closed) continue;
      if (c->fd < 0 || !c->waiting.empty() || !c->out.empty()) return false;
      if (greedy_ && Pipelines(c->role) && c->big_bursts == 0) return false;
      if (Subscribes(c->role) && !HasAll(*c)) return false;
    }
    return true;
  }

  void Loop() {
    std::vector<struct pollfd> fds;
    std::vector<Conn*> who;
    for (;;) {
      const int64_t now = NowMs();
      const bool stop_asked = stop_.load();
      if (stop_asked && Done()) return;
      // In a greedy round the others go on while a pipeliner still waits
      // for its big burst.
      bool pipeliners_done = true;
      for (const auto& c : conns_) {
        if (Pipelines(c->role) && !c->closed && c->big_bursts == 0) pipeliners_done = false;
      }
      const bool quiet = stop_asked && (!greedy_ || pipeliners_done);
      if (stop_asked && now > deadline_ms_) {
        timed_out_ = true;
        return;
      }
      fds.clear();
      who.clear();
      for (auto& cp : conns_) {
        Conn* c = cp.get();
        if (c->closed) continue;
        if (c->fd < 0) {
          if (c->role == Role::kLate && now >= c->connect_at_ms) Connect(c);
          if (c->fd < 0) continue;
        }
        if (c->waiting.empty()) {
          if (Pipelines(c->role)) {
            if (greedy_ ? c->big_bursts == 0 : !stop_asked) PipelineBurst(c);
          } else if (quiet) {
          } else if (c->role == Role::kReporter) {
            NextReporterRequest(c);
          } else if (c->role == Role::kProber) {
            Request(c, "hello", nlohmann::json::object());
          } else if (c->subscribed && c->events_since_status > 0) {
            // Replies and stream lines on one connection.
            c->events_since_status = 0;
            Request(c, "status", nlohmann::json::object());
          }
        }
        const bool hold = StillHolding(c, now);
        fds.push_back(
            {c->fd, static_cast<short>((hold ? 0 : POLLIN) | (c->out.empty() ? 0 : POLLOUT)), 0});
        who.push_back(c);
      }
      const int n = poll(fds.data(), fds.size(), 20);
      if (n < 0 && errno != EINTR) {
        Error(who.empty() ? conns_[0].get() : who[0], std::string("poll: ") + strerror(errno));
        timed_out_ = true;
        return;
      }
      for (size_t i = 0; n > 0 && i < fds.size(); ++i) {
        Conn* c = who[i];
        if (fds[i].revents & POLLOUT) Flush(c);
        if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
          if (!Read(c)) {
            c->closed = true;
            if (!c->told_dropped) Error(c, "the daemon closed the connection without a reason");
          }
        }
      }
    }
  }

  std::string socket_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::map<uint64_t, uint64_t> expected_;
  int64_t deadline_ms_ = 0;
  int64_t round_start_ = 0;
  bool timed_out_ = false;
  std::vector<std::string> errors_;
  uint64_t error_count_ = 0;
  uint64_t requests_ = 0, replies_ = 0, report_replies_ = 0, stream_lines_ = 0;
  uint64_t bursts_ = 0;
  uint64_t prober_replies_ = 0;
  bool greedy_ = false;
  uint64_t big_bursts_ = 0;  // asking for more than 4 MiB
};

// Calls with a REQUIRE on transport errors and on !ok.
nlohmann::json Call(DaemonClient& client, const std::string& cmd,
                    nlohmann::json args = nlohmann::json::object()) {
  Reply reply;
  std::string error;
  REQUIRE_MESSAGE(client.Call(cmd, args, &reply, &error, 60000), cmd << ": " << error);
  REQUIRE_MESSAGE(reply.ok, cmd << ": " << reply.error_code << " " << reply.error_message);
  return reply.result;
}

}  // namespace

TEST_CASE("200 clients asking reports and subscribing while make -j2 writes") {
  if (BackendUnavailable()) return;
  if (system("make --version >/dev/null 2>&1") != 0) {
    FAIL("make is not installed");
  }
  // 200 client fds here, as many in the daemon: well within the usual 1024,
  // but raise the soft limit to the hard one in case it is lower.
  struct rlimit rl;
  REQUIRE(getrlimit(RLIMIT_NOFILE, &rl) == 0);
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  REQUIRE(rl.rlim_cur >= static_cast<rlim_t>(kClients + 64));

  TestTree tree;
  TestTree out;  // the Makefile and the report live outside the watched tree
  SocketTmpDir sockets;
  const std::string makefile = out.Abs("Makefile");
  out.Write("Makefile", GenerateMakefile());

  DaemonProcess daemon;
  {
    // The daemon's allocator is set so that its VmRSS after a round counts
    // what it holds, not what the allocator kept of memory freed: the
    // pipeliners make it queue up to 4 MiB of replies each, freed after.
    //  - glibc: blocks of 8 KiB and more (replies are about 12 KiB) are
    //    mmap'ed, so freeing them gives them back at once.
    //  - ASan: freed memory waits in a quarantine (256 MiB by default)
    //    before it is reused; a small one.
    // (Set here for the child; this process read its own at start-up.)
    std::optional<ScopedEnv> allocator;
    if (kAsan) {
      allocator.emplace("ASAN_OPTIONS", "quarantine_size_mb=16", true);
    } else {
      allocator.emplace("MALLOC_MMAP_THRESHOLD_", "8192", false);
    }
    REQUIRE(daemon.Start({"--root", tree.root(), "--socket", sockets.path + "/d.sock",
                          "--report", out.Abs("report.json"), "--backend", TestBackend()}));
  }
  DaemonClient control;
  std::string error;
  REQUIRE_MESSAGE(control.Connect(daemon.socket(), &error), error);

  ClientStorm storm(daemon.socket());
  const char* rounds_env = getenv("MODRACE_LOAD_ROUNDS");
  const int rounds =
      rounds_env != nullptr && atoi(rounds_env) > 1 ? atoi(rounds_env) : kDefaultRounds;
  std::vector<long> rss_after_round;
  std::set<uint64_t> all_ids;
  for (int round = 1; round <= rounds; ++round) {
    CAPTURE(round);
    // A fresh build each round: the last one's outputs go, and the daemon
    // forgets what it found (its cursors stay valid: ids keep growing).
    REQUIRE(RunMake(tree.root(), makefile, {"clean"}) == 0);
    Call(control, "barrier");
    Call(control, "reset");

    const int64_t start = NowMs();
    storm.StartRound();
    const int make_status = RunMake(tree.root(), makefile, {"-j2", "all"});
    const int64_t built = NowMs();
    // How long one cheap request waits meanwhile (for the log).
    Call(control, "hello");
    const int64_t hello_ms = NowMs() - built;
    // The barrier: every event of the build has been analyzed.
    Call(control, "barrier");
    const int64_t barrier_ms = NowMs() - built - hello_ms;
    const nlohmann::json result = Call(control, "report");
    const Report report = result.at("report").get<Report>();

    // Every clash, once, and nothing else.
    std::map<uint64_t, uint64_t> expected;
    std::set<std::string> clashes;
    int other = 0;
    for (const auto& f : report.findings) {
      expected[f.id] = f.revision;
      CHECK_MESSAGE(all_ids.insert(f.id).second,
                    "finding id " << f.id << " was seen in a round before");
      if (f.kind != FindingKind::kModuleNameCollision || !f.module) {
        ++other;
        MESSAGE("unexpected finding: " << DumpLine(nlohmann::json(f)));
        continue;
      }
      clashes.insert(*f.module);
      const std::set<std::string> paths(f.paths.begin(), f.paths.end());
      CHECK(paths == std::set<std::string>{"drivers/a/" + *f.module, "drivers/b/" + *f.module});
    }
    std::set<std::string> want;
    for (int k = 0; k < kClashes; ++k) want.insert(ClashName(k));
    CHECK(make_status == 0);
    CHECK(other == 0);
    CHECK(clashes == want);
    CHECK(report.findings.size() == static_cast<size_t>(kClashes));
    CHECK(report.complete);
    CHECK(report.statistics.modules_seen ==
          static_cast<uint64_t>(2 * kClashes + kUniqueDirs * kUniquePerDir));
    if (round == 1) {
      CHECK(SchemaCheck("proto/report.schema.json", DumpLine(result.at("report")) + "\n") == "");
    }

    storm.FinishRound(expected, NowMs() + 30000);
    const int64_t finished = NowMs();
    CHECK_FALSE(storm.timed_out());
    for (const auto& e : storm.errors()) MESSAGE(e);
    CHECK(storm.errors().empty());
    // Every request got its reply; every subscriber got every finding and
    // is still subscribed (none was slow enough to be dropped).
    int unanswered = 0, missing = 0, dropped = 0, subscribers = 0;
    for (const auto& c : storm.conns()) {
      if (c->sent != c->replied) ++unanswered;
      if (!ClientStorm::Subscribes(c->role)) continue;
      ++subscribers;
      if (c->told_dropped || c->closed) {
        ++dropped;
      } else if (!storm.HasAll(*c)) {
        ++missing;
      }
    }
    CHECK(unanswered == 0);
    CHECK(subscribers == kSubscribers + kLateSubscribers);
    CHECK(dropped == 0);
    CHECK(missing == 0);
    const nlohmann::json status = Call(control, "status");
    CHECK(status["subscribers"] == kSubscribers + kLateSubscribers);
    CHECK(status["clients"] == kClients + 1);
    CHECK(status["pending_barriers"] == 0);

    // The round's late subscribers leave; wait (bounded) until the daemon
    // has seen them go, so the memory figure is of a quiet daemon.
    storm.DropLate();
    nlohmann::json quiet;
    const int64_t quiet_deadline = NowMs() + 10000;
    do {
      quiet = Call(control, "status");
    } while (quiet["clients"] != kReporters + kSubscribers + 1 && NowMs() < quiet_deadline);
    CHECK(quiet["clients"] == kReporters + kSubscribers + 1);
    CHECK(quiet["subscribers"] == kSubscribers);
    const long rss = ProcStatusKb(daemon.pid(), "VmRSS");
    rss_after_round.push_back(rss);
    MESSAGE("round " << round << " (" << TestBackend() << "): build " << (built - start)
                     << " ms, then hello " << hello_ms << " ms, barrier " << barrier_ms
                     << " ms; storm done "
                     << (finished - start) << " ms; " << storm.requests()
                     << " requests (" << storm.report_replies() << " reports), "
                     << storm.replies() << " replies, " << storm.stream_lines()
                     << " stream lines, " << storm.bursts() << " bursts ("
                     << storm.big_bursts() << " for over 4 MiB) so far; final report "
                     << result.dump().size() << " bytes; daemon VmRSS " << rss << " kB, VmHWM "
                     << ProcStatusKb(daemon.pid(), "VmHWM") << " kB");
  }

  // Memory does not grow with more rounds of the same load.
  const long growth = rss_after_round.back() - rss_after_round.front();
  CHECK_MESSAGE(growth < kMaxGrowthKb, "daemon VmRSS grew " << growth << " kB from round 1 to "
                                                             << rounds << ", bound "
                                                             << kMaxGrowthKb << " kB");

  // The greedy phase: the pipeliners ask for more than the daemon queues
  // for one client and read late, while the other reporters go on (saying
  // hello). Every reply still arrives, in order, and nobody is dropped.
  {
    const int64_t start = NowMs();
    const uint64_t turns = storm.turns();
    storm.StartRound(/*greedy=*/true);
    storm.FinishRound({}, NowMs() + 120000);
    CHECK_FALSE(storm.timed_out());
    for (const auto& e : storm.errors()) MESSAGE(e);
    CHECK(storm.errors().empty());
    int unanswered = 0, big = 0, dropped = 0;
    for (const auto& c : storm.conns()) {
      if (c->sent != c->replied) ++unanswered;
      if (ClientStorm::Pipelines(c->role) && c->big_bursts > 0) ++big;
      if (ClientStorm::Subscribes(c->role) && (c->told_dropped || c->closed)) ++dropped;
    }
    CHECK(unanswered == 0);
    CHECK(big == kPipeliners);
    CHECK(dropped == 0);
    const nlohmann::json status = Call(control, "status");
    CHECK(status["clients"] == kReporters + kSubscribers + 1);
    CHECK(status["subscribers"] == kSubscribers);
    MESSAGE("greedy phase (" << TestBackend() << "): " << (NowMs() - start) << " ms, "
                             << (storm.turns() - turns) << " hellos; " << storm.requests()
                             << " requests in all; daemon VmRSS "
                             << ProcStatusKb(daemon.pid(), "VmRSS") << " kB, VmHWM "
                             << ProcStatusKb(daemon.pid(), "VmHWM") << " kB");
  }
  {
    std::ifstream st("/proc/" + std::to_string(daemon.pid()) + "/stat");
    std::string stat_line;
    std::getline(st, stat_line);
    std::istringstream fields(stat_line.substr(stat_line.rfind(')') + 2));
    std::string f;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
      if (i == 14) utime = atol(f.c_str());
      if (i == 15) stime = atol(f.c_str());
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    MESSAGE("CPU: daemon " << (utime + stime) * 1000 / sysconf(_SC_CLK_TCK) << " ms, test "
                           << (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
                                  (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000
                           << " ms");
  }
  // Memory: bounded, the greedy phase included.
  const long hwm = ProcStatusKb(daemon.pid(), "VmHWM");
  REQUIRE(hwm > 0);
  CHECK_MESSAGE(hwm < kMaxHwmKb, "daemon VmHWM " << hwm << " kB, bound " << kMaxHwmKb << " kB");

  // A clean stop with everyone still connected (under ASan, LeakSanitizer
  // checks the daemon's exit, too).
  control.Close();
  daemon.Signal(SIGTERM);
  CHECK(daemon.WaitFor(60000) == 0);
}

}  // namespace modrace

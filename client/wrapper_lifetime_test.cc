// SPDX-License-Identifier: GPL-2.0-only
// `run` and `repro` as wrappers over a build that a CI runner stops: a
// signal sent to modrace alone stops the build, the report is written and
// marked incomplete, modrace exits 128+N (client/foreground_command.h,
// client/stopped_build.h); the private daemon is listed while it runs and
// does not outlive a `run` killed by SIGKILL (client/private_daemon.h). Real modrace, modraced and processes; every
// wait polls for its condition with a deadline.

#include <doctest/doctest.h>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>
#include <string>

#include <nlohmann/json.hpp>

#include "client/cli_testing.h"
#include "common/clock.h"
#include "common/test_tree.h"
#include "proto/report.h"

namespace modrace {

namespace {

// Polls `done` every 20 ms until it holds or `timeout_ms` pass.
template <typename F>
bool Within(int timeout_ms, F done) {
  const int64_t deadline = NowMs() + timeout_ms;
  while (!done()) {
    if (NowMs() >= deadline) return false;
    poll(nullptr, 0, 20);  // a process's state, not data, is waited for
  }
  return true;
}

// False once `pid` has exited (a zombie not yet reaped counts as exited).
bool Alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] != 'Z';
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// The status object of the daemon `status --all` lists for client `run`.
nlohmann::json PrivateDaemonOf(pid_t run) {
  const CliResult all = Modrace("status --all --format json");
  if (all.status != 0) return nullptr;
  for (const nlohmann::json& s : nlohmann::json::parse(all.out)) {
    if (s.value("build_parent", 0) == run) return s;
  }
  return nullptr;
}

// A tree whose two recipes compile, record their shell's pid in `pids`,
// then work on for a minute: a build that is mid-way when it is stopped.
void WriteSlowBuild(TestTree* tree) {
  tree->Write("a.c", "int a(void) { return 1; }\n");
  tree->Write("b.c", "int b(void) { return 2; }\n");
  tree->Write("Makefile",
              "all: a.o b.o\n"
              "%.o: %.c\n"
              "\tcc -c $< -o $@ && echo $$$$ >> pids && sleep 60\n");
}

std::vector<pid_t> PidsOf(const std::string& file) {
  std::vector<pid_t> pids;
  std::istringstream in(Slurp(file));
  for (pid_t p; in >> p;) pids.push_back(p);
  return pids;
}

bool AnyAlive(const std::vector<pid_t>& pids) {
  for (pid_t p : pids) {
    if (Alive(p)) return true;
  }
  return false;
}

// Spawns `modrace ARGS -- make -j2` on the slow build, waits until both
// recipes are mid-way, sends `sig` to the modrace process alone, and checks
// that everything stops within 10 s: returns modrace's exit status, its
// stdout in *out, its stderr in `err_file`.
int StopMidBuild(TestTree* tree, const std::string& args, int sig, const std::string& err_file,
                 std::string* out) {
  WriteSlowBuild(tree);
  const std::string pids = tree->Abs("pids");
  int fd = -1;
  const pid_t modrace = SpawnModrace(
      args + " --tree " + ShellQuote(tree->root()) + " -- make -s --no-print-directory -j2 -C " +
          ShellQuote(tree->root()),
      &fd, err_file);
  REQUIRE(Within(30000, [&] { return PidsOf(pids).size() == 2; }));
  nlohmann::json daemon;
  REQUIRE(Within(10000, [&] { return !(daemon = PrivateDaemonOf(modrace)).is_null(); }));
  REQUIRE(kill(modrace, sig) == 0);
  ReadUntil(fd, "\x01never", out, 10000);  // to end of file: modrace has exited
  const int status = WaitExit(modrace, 10000);
  close(fd);
  CAPTURE(Slurp(err_file));
  CHECK_FALSE(AnyAlive(PidsOf(pids)));
  CHECK(Within(10000, [&] { return !Alive(daemon["pid"].get<pid_t>()); }));
  return status;
}

// The /tmp/modrace-run-* directories there are, sorted.
std::vector<std::string> RunDirs() {
  std::vector<std::string> out;
  DIR* d = opendir("/tmp");
  if (d == nullptr) return out;
  while (const dirent* e = readdir(d)) {
    if (std::string(e->d_name).rfind("modrace-run-", 0) == 0) out.push_back(e->d_name);
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("run: INT, TERM or HUP sent to modrace alone stops the build; the report says so") {
  SetUpCliTestEnvironment();
  int sig = 0;
  SUBCASE("SIGINT") { sig = SIGINT; }
  SUBCASE("SIGTERM") { sig = SIGTERM; }
  SUBCASE("SIGHUP") { sig = SIGHUP; }
  CAPTURE(sig);
  TestTree files;
  TestTree tree;
  const std::string saved = files.Abs("run.json");
  std::string out;
  const int status = StopMidBuild(&tree, "run --format json --report " + ShellQuote(saved), sig,
                                  files.Abs("modrace.err"), &out);
  CHECK(status == 128 + sig);
  const Report report = nlohmann::json::parse(out).get<Report>();
  CHECK_FALSE(report.complete);
  CHECK(report.coverage.stopped_by == std::string("SIG") + sigabbrev_np(sig));
  const Report file = nlohmann::json::parse(Slurp(saved)).get<Report>();
  CHECK(file.coverage.stopped_by == report.coverage.stopped_by);
  const std::string err = Slurp(files.Abs("modrace.err"));
  CHECK(err.find("(stopped by SIG") != std::string::npos);
}

TEST_CASE("repro: SIGTERM sent to modrace alone stops the build and the loop") {
  SetUpCliTestEnvironment();
  TestTree files;
  TestTree tree;
  std::string out;
  const int status = StopMidBuild(&tree, "repro --times 3 --format json", SIGTERM,
                                  files.Abs("modrace.err"), &out);
  CHECK(status == 128 + SIGTERM);
  const Report report = nlohmann::json::parse(out).get<Report>();
  CHECK(report.coverage.stopped_by == "SIGTERM");
  const std::string err = Slurp(files.Abs("modrace.err"));
  CHECK(err.find("stopped by SIGTERM in run 1") != std::string::npos);
  CHECK(err.find("run 2") == std::string::npos);
}

TEST_CASE("run's private daemon: listed while it runs, gone with a run killed by SIGKILL") {
  SetUpCliTestEnvironment();
  TestTree files;
  TestTree tree;
  const std::string pid_file = tree.Abs("build.pid");
  int out = -1;
  const pid_t run = SpawnModrace(
      "run --tree " + ShellQuote(tree.root()) + " --format json -- sh -c " +
          ShellQuote("echo $$ > " + ShellQuote(pid_file) + "; exec sleep 60"),
      &out, files.Abs("run.err"));
  REQUIRE(Within(30000, [&] { return !Slurp(pid_file).empty(); }));
  const pid_t build = std::stoi(Slurp(pid_file));
  nlohmann::json daemon;
  REQUIRE(Within(10000, [&] { return !(daemon = PrivateDaemonOf(run)).is_null(); }));
  CHECK(daemon["tree"] == RealPath(tree.root()));
  const pid_t daemon_pid = daemon["pid"].get<pid_t>();
  const std::string socket = daemon["socket"];
  CHECK(Alive(daemon_pid));
  CHECK(Exists(socket));
  const CliResult text = Modrace("status --all --format text");
  CHECK(text.out.find("private to modrace pid " + std::to_string(run)) != std::string::npos);

  REQUIRE(kill(run, SIGKILL) == 0);
  CHECK(WaitExit(run, 10000) == 128 + SIGKILL);
  // The daemon gets SIGTERM from the kernel: it writes its report, unlinks
  // its socket and exits.
  CHECK(Within(10000, [&] { return !Alive(daemon_pid); }));
  CHECK(Within(10000, [&] { return !Exists(socket); }));
  CHECK(PrivateDaemonOf(run).is_null());
  kill(build, SIGKILL);  // the build itself is the runner's to stop
  close(out);
}

}  // namespace modrace

namespace modrace {

TEST_CASE("run whose socket directory is another user's (sudo -E): a /tmp one, removed after") {
  SetUpCliTestEnvironment();
  if (getuid() != 0) {
    MESSAGE("skipped: needs root to hand a directory to another user");
    return;
  }
  TestTree runtime;  // XDG_RUNTIME_DIR as `sudo -E` keeps it: nobody's modrace/
  TestTree tree;
  tree.Write("Makefile", "all:\n\techo built > out\n");
  const std::string dir = runtime.Abs("modrace");
  REQUIRE(mkdir(dir.c_str(), 0700) == 0);
  REQUIRE(chown(dir.c_str(), 65534, 65534) == 0);
  const std::vector<std::string> before = RunDirs();
  const CliResult r =
      Modrace("run --format json --tree " + ShellQuote(tree.root()) + " -- make -s -C " +
                  ShellQuote(tree.root()),
              "XDG_RUNTIME_DIR=" + runtime.root());
  CHECK_MESSAGE(r.status == 0, r.err);
  CHECK(nlohmann::json::parse(r.out).get<Report>().complete);
  // Nothing written into the other user's directory, no /tmp one left.
  DIR* d = opendir(dir.c_str());
  REQUIRE(d != nullptr);
  int entries = 0;
  while (const dirent* e = readdir(d)) entries += e->d_name[0] != '.';
  closedir(d);
  CHECK(entries == 0);
  CHECK(RunDirs() == before);
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
// Real in-tree kernel builds under `modrace run`: Debian's linux-source-6.1
// and linux-source-6.12, each tinyconfig plus the modules of
// tests/intree/modules.config (59 .ko on 6.1, 58 on 6.12: its crypto/ split
// differently; fs/, lib/ and crypto/), prepared once per kernel by
// scripts/kernel-tree and built with the make line it prints
// (`scripts/kernel-tree build-command`: `make -j2 modules`, on 6.12 with
// KBUILD_MODPOST_WARN=1). Unlike the examples (small M= trees), this is the
// users' workload: mostly header reads, objtool, modpost, kbuild's own
// rewrites of .cmd files. Checked on each kernel:
// - a clean build gives no finding at all and a complete report, under
//   both backends;
// - a planted clash (lib/nls_ascii.ko beside fs/nls/nls_ascii.ko) is found
//   from the records, before the top modules.order that modules_check reads
//   was written;
// - a planted double build (`obj-m += nls/nls_utf8.o` in fs/Makefile beside
//   `nls/`) is named as one module path built twice and, with fanotify, as
//   a write_hazard on the object two makes' jobs write.
// The trees are shared (one per kernel and machine): the test holds the
// exclusive flock on their lock file throughout, and undoes its plants.

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "client/cli_testing.h"
#include "proto/report.h"

namespace modrace {

namespace {

std::string KernelDir() {
  const char* d = getenv("MODRACE_KERNEL_DIR");
  return d != nullptr && *d != '\0' ? d : "/var/tmp/modrace-kernel";
}

// Holds the tree's lock for the test's life.
class TreeLock {
 public:
  TreeLock() {
    REQUIRE(system(("mkdir -p " + ShellQuote(KernelDir())).c_str()) == 0);
    fd_ = open((KernelDir() + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    REQUIRE(fd_ >= 0);
    REQUIRE(flock(fd_, LOCK_EX) == 0);
  }
  ~TreeLock() { close(fd_); }
  TreeLock(const TreeLock&) = delete;
  TreeLock& operator=(const TreeLock&) = delete;

 private:
  int fd_ = -1;
};

// A kernel of the test: MODRACE_KERNEL for scripts/kernel-tree, and the
// number of modules its tree builds.
struct Kernel {
  std::string version;
  uint64_t modules;
};

const Kernel k6_1{"6.1", 59};
const Kernel k6_12{"6.12", 58};

std::string KernelTreeCommand(const Kernel& k, const std::string& args) {
  return "MODRACE_KERNEL=" + k.version + " MODRACE_KERNEL_DIR=" + ShellQuote(KernelDir()) +
         " scripts/kernel-tree " + args;
}

// scripts/kernel-tree ARGS, its stdout's lines.
std::vector<std::string> KernelTreeLines(const Kernel& k, const std::string& args) {
  const std::string out = KernelDir() + "/kernel-tree.out";
  const int rc = system((KernelTreeCommand(k, args) + " > " + ShellQuote(out)).c_str());
  REQUIRE_MESSAGE(rc == 0, "MODRACE_KERNEL=" << k.version << " scripts/kernel-tree " << args
                                             << " failed (" << rc
                                             << "); as root it installs what it needs");
  std::vector<std::string> lines;
  const std::string text = Slurp(out);
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    if (nl > start) lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  REQUIRE(!lines.empty());
  return lines;
}

// The prepared tree's path (the script's last line).
std::string KernelTree(const Kernel& k, const std::string& args) {
  return KernelTreeLines(k, args).back();
}

// Undoes a plant when the case ends, however it ends.
class Restore {
 public:
  explicit Restore(const Kernel& k) : kernel_(k) {}
  ~Restore() { system((KernelTreeCommand(kernel_, "restore") + " >/dev/null 2>&1").c_str()); }
  Restore(const Restore&) = delete;
  Restore& operator=(const Restore&) = delete;

 private:
  const Kernel& kernel_;
};

struct Build {
  int status = -1;
  double seconds = 0;  // the whole `modrace run`
  Report report;
  std::string err;
};

// The tree's make line, as scripts/kernel-tree prints it (one word a line).
std::string BuildCommand(const Kernel& k) {
  std::string out;
  for (const std::string& word : KernelTreeLines(k, "build-command")) {
    out += (out.empty() ? "" : " ") + ShellQuote(word);
  }
  return out;
}

Build BuildUnderModrace(const Kernel& k, const std::string& tree, const std::string& backend) {
  const std::string report = KernelDir() + "/report.json";
  unlink(report.c_str());
  const auto start = std::chrono::steady_clock::now();
  const CliResult r = Modrace("run --tree " + ShellQuote(tree) + " --backend " + backend +
                              " --format json --report " + ShellQuote(report) + " -- " +
                              BuildCommand(k));
  Build b;
  b.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  b.status = r.status;
  b.err = r.err;
  const std::string text = Slurp(report);
  REQUIRE_MESSAGE(!text.empty(), "no report; stderr: " << r.err);
  b.report = nlohmann::json::parse(text).get<Report>();
  return b;
}

std::vector<const Finding*> Of(const Report& r, FindingKind kind) {
  std::vector<const Finding*> out;
  for (const auto& f : r.findings) {
    if (f.kind == kind) out.push_back(&f);
  }
  return out;
}

std::vector<std::string> Backends() {
  if (geteuid() == 0) return {"inotify", "fanotify"};
  MESSAGE("fanotify build skipped: not root");
  return {"inotify"};
}

std::string Dump(const Report& r) { return nlohmann::json(r).dump(); }

void CleanBuild(const Kernel& k) {
  SetUpCliTestEnvironment();
  TreeLock lock;
  for (const std::string& backend : Backends()) {
    CAPTURE(backend);
    const std::string tree = KernelTree(k, "");
    const Build b = BuildUnderModrace(k, tree, backend);
    CHECK_MESSAGE(b.status == 0, b.err);
    CHECK(b.report.backend == backend);
    CHECK(b.report.complete);
    CHECK_MESSAGE(b.report.findings.empty(), Dump(b.report));
    CHECK_MESSAGE(b.err.find("predicted") == std::string::npos, b.err);  // nothing to predict
    CHECK(b.report.statistics.modules_seen == k.modules);
    MESSAGE(k.version << " in-tree clean build (" << backend << "): " << b.seconds << " s, "
                      << b.report.statistics.modules_seen << " modules, "
                      << b.report.statistics.events << " events, "
                      << b.report.statistics.files_tracked << " files tracked, "
                      << b.report.statistics.watched_dirs << " directories watched, complete: "
                      << b.report.complete << ", " << b.report.findings.size() << " findings");
  }
}

void PlantedClash(const Kernel& k) {
  SetUpCliTestEnvironment();
  TreeLock lock;
  Restore restore(k);
  const std::string tree = KernelTree(k, "plant clash");
  const Build b = BuildUnderModrace(k, tree, "auto");
  CHECK(b.status == 2);  // make's own status: modules_check stops it
  const auto clashes = Of(b.report, FindingKind::kModuleNameCollision);
  REQUIRE_MESSAGE(clashes.size() == 1, Dump(b.report));
  CHECK(clashes[0]->module == "nls_ascii");
  std::vector<std::string> paths = clashes[0]->paths;
  std::sort(paths.begin(), paths.end());
  CHECK(paths == std::vector<std::string>{"fs/nls/nls_ascii", "lib/nls_ascii"});
  // Predicted from the tree's .config before the build started (stderr's
  // first lines; docs/architecture.md, Predictions), and confirmed.
  CHECK_MESSAGE(b.err.find("modrace run: predicted from " + tree + "/.config") == 0, b.err);
  CHECK_MESSAGE(b.err.find("error: module_name_collision (likely, predicted): nls_ascii: "
                           "fs/nls/nls_ascii.ko, lib/nls_ascii.ko\n") != std::string::npos,
                b.err);
  MESSAGE(k.version << " in-tree clash: " << b.seconds << " s, make status " << b.status);
  MESSAGE(k.version << " prediction: " << b.err.substr(0, b.err.find("\n")));
  REQUIRE(clashes[0]->prediction.has_value());
  CHECK(clashes[0]->prediction->confirmed);
  CHECK(clashes[0]->confidence == Confidence::kCertain);
  bool lib_line = false;
  for (const SourceLine& l : clashes[0]->sources) {
    lib_line = lib_line || (l.file == "lib/Makefile" && l.text == "obj-m += nls_ascii.o");
  }
  CHECK_MESSAGE(lib_line, nlohmann::json(*clashes[0]).dump());
  // Live: the records made the finding before make assembled the top
  // modules.order, which is what the kernel's own check reads.
  struct stat order;
  REQUIRE(stat((tree + "/modules.order").c_str(), &order) == 0);
  const int64_t order_ns = int64_t{order.st_mtim.tv_sec} * 1000000000 + order.st_mtim.tv_nsec;
  CHECK(clashes[0]->first_time_ns < order_ns);
  for (const auto& f : b.report.findings) {
    CHECK_MESSAGE(f.kind == FindingKind::kModuleNameCollision, nlohmann::json(f).dump());
  }
}

void PlantedTwice(const Kernel& k) {
  SetUpCliTestEnvironment();
  TreeLock lock;
  Restore restore(k);
  const std::string tree = KernelTree(k, "plant twice");
  const Build b = BuildUnderModrace(k, tree, "auto");
  CHECK(Of(b.report, FindingKind::kModuleNameCollision).empty());
  const auto dups = Of(b.report, FindingKind::kDuplicateModulePath);
  REQUIRE_MESSAGE(dups.size() == 1, Dump(b.report));
  CHECK(dups[0]->paths == std::vector<std::string>{"fs/nls/nls_utf8"});
  if (b.report.backend == "fanotify") {
    // Jobs of two makes (fs/ and fs/nls/) write the object, whatever the
    // timing (docs/architecture.md, Jobs).
    bool hazard = false;
    for (const Finding* f : Of(b.report, FindingKind::kWriteHazard)) {
      hazard = hazard || f->paths == std::vector<std::string>{"fs/nls/nls_utf8.o"};
    }
    CHECK(hazard);
  }
  MESSAGE(k.version << " in-tree double build: " << b.seconds << " s, make status " << b.status
                    << ", findings: " << Dump(b.report));
}

}  // namespace

TEST_CASE("6.1: a clean in-tree build: no finding and a complete report, both backends") {
  CleanBuild(k6_1);
}

TEST_CASE("6.1: an in-tree clash is found from the records, before modules_check's input exists") {
  PlantedClash(k6_1);
}

TEST_CASE("6.1: an in-tree module reached twice is named as one path built twice") {
  PlantedTwice(k6_1);
}

TEST_CASE("6.12: a clean in-tree build: no finding and a complete report, both backends") {
  CleanBuild(k6_12);
}

TEST_CASE("6.12: an in-tree clash is found from the records, before modules_check's input exists") {
  PlantedClash(k6_12);
}

TEST_CASE("6.12: an in-tree module reached twice is named as one path built twice") {
  PlantedTwice(k6_12);
}


}  // namespace modrace

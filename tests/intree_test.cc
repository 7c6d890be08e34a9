// A real in-tree kernel build under `modrace run`: Debian's linux-source-6.1,
// tinyconfig plus the modules of tests/intree/modules.config (59 .ko in
// fs/, lib/ and crypto/), prepared once by scripts/kernel-tree and built
// with `make -j2 modules`. Unlike the examples (small M= trees), this is the
// users' workload: mostly header reads, objtool, modpost, kbuild's own
// rewrites of .cmd files. Checked:
// - a clean build gives no finding at all and a complete report, under
//   both backends;
// - a planted clash (lib/nls_ascii.ko beside fs/nls/nls_ascii.ko) is found
//   from the records, before the top modules.order that modules_check reads
//   was written;
// - a planted double build (`obj-m += nls/nls_utf8.o` in fs/Makefile beside
//   `nls/`) is named as one module path built twice and, with fanotify, as
//   a write_hazard on the object two makes' jobs write.
// The tree is shared (one per machine): the test holds an exclusive flock
// on its lock file throughout, and undoes its plants.

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

// scripts/kernel-tree ARGS: the prepared tree's path (its last line).
std::string KernelTree(const std::string& args) {
  const std::string out = KernelDir() + "/kernel-tree.out";
  const int rc = system(("MODRACE_KERNEL_DIR=" + ShellQuote(KernelDir()) +
                         " scripts/kernel-tree " + args + " > " + ShellQuote(out))
                            .c_str());
  REQUIRE_MESSAGE(rc == 0, "scripts/kernel-tree " << args << " failed (" << rc
                                                  << "); as root it installs what it needs");
  std::string text = Slurp(out);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text.substr(text.rfind('\n') + 1);
}

// Undoes a plant when the case ends, however it ends.
struct Restore {
  ~Restore() { system("scripts/kernel-tree restore >/dev/null 2>&1"); }
};

struct Build {
  int status = -1;
  Report report;
  std::string err;
};

Build BuildUnderModrace(const std::string& tree, const std::string& backend) {
  const std::string report = KernelDir() + "/report.json";
  unlink(report.c_str());
  const CliResult r = Modrace("run --tree " + ShellQuote(tree) + " --backend " + backend +
                              " --format json --report " + ShellQuote(report) +
                              " -- make -s -C " + ShellQuote(tree) + " -j2 modules");
  Build b;
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

}  // namespace

TEST_CASE("a clean in-tree 6.1 build: no finding and a complete report, both backends") {
  SetUpCliTestEnvironment();
  TreeLock lock;
  for (const std::string& backend : Backends()) {
    CAPTURE(backend);
    const std::string tree = KernelTree("");
    const Build b = BuildUnderModrace(tree, backend);
    CHECK_MESSAGE(b.status == 0, b.err);
    CHECK(b.report.backend == backend);
    CHECK(b.report.complete);
    CHECK_MESSAGE(b.report.findings.empty(), Dump(b.report));
    CHECK_MESSAGE(b.err.find("predicted") == std::string::npos, b.err);  // nothing to predict
    CHECK(b.report.statistics.modules_seen == 59);
    MESSAGE("in-tree clean build (" << backend << "): " << b.report.statistics.events
                                    << " events, " << b.report.statistics.files_tracked
                                    << " files tracked, " << b.report.statistics.watched_dirs
                                    << " directories watched");
  }
}

TEST_CASE("an in-tree clash is found from the records, before modules_check's input exists") {
  SetUpCliTestEnvironment();
  TreeLock lock;
  Restore restore;
  const std::string tree = KernelTree("plant clash");
  const Build b = BuildUnderModrace(tree, "auto");
  CHECK(b.status == 2);  // make's own status: 6.1's modules_check stops it
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
  MESSAGE("prediction: " << b.err.substr(0, b.err.find("\n")));
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

TEST_CASE("an in-tree module reached twice is named as one path built twice") {
  SetUpCliTestEnvironment();
  TreeLock lock;
  Restore restore;
  const std::string tree = KernelTree("plant twice");
  const Build b = BuildUnderModrace(tree, "auto");
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
  MESSAGE("in-tree double build: make status " << b.status << ", findings: " << Dump(b.report));
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
// CPU cost of an event source on one burst: a child process opens, writes
// and closes one file N times in one directory (no O_TRUNC, see below); the source runs on a libuv
// loop until the child's final marker file is seen. Prints the source's
// own CPU time (getrusage RUSAGE_SELF: the child is a separate process).
//
//   bazel build //bench:source_cpu
//   sudo bazel-bin/bench/source_cpu fanotify 100000
//   bazel-bin/bench/source_cpu inotify 100000
//   sudo bazel-bin/bench/source_cpu both 100000   # the fanotify backend: both sources
//
// Workload `outside` instead: N processes one after the other, each opening
// and closing the 10 files of a directory beside the tree (same
// filesystem, outside the root), what compilers' header and library reads
// are to the source.
// fanotify's figures then include its events dropped outside the root (the
// child's and those of everything else on the filesystem meanwhile) and
// its ignore marks (daemon/fanotify_source.h); `no-ignore` turns those off,
// `no-exec` the exec listener (which reads every process's fork and exit).
// Workload `outside-dirs`, the worst case for the marks: one process opens
// one file in each of N directories beside the tree, so every directory
// costs a mark and none is used:
//
//   sudo bazel-bin/bench/source_cpu fanotify 5000 outside
//   sudo bazel-bin/bench/source_cpu fanotify 5000 outside no-ignore
//   sudo bazel-bin/bench/source_cpu fanotify 5000 outside no-exec
//   sudo bazel-bin/bench/source_cpu fanotify 5000 outside-dirs no-exec

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <uv.h>

#include "daemon/fanotify_source.h"
#include "daemon/inotify_source.h"
#include "common/dir_walk.h"

namespace {

double CpuSeconds() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double WallSeconds() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string backend = argc > 1 ? argv[1] : "inotify";
  const long n = argc > 2 ? atol(argv[2]) : 100000;
  const std::string workload = argc > 3 ? argv[3] : "write";
  bool ignore_marks = true;
  bool exec_listener = true;
  bool usage = backend != "inotify" && backend != "fanotify" && backend != "both";
  usage |= workload != "write" && workload != "outside" && workload != "outside-dirs";
  for (int i = 4; i < argc; ++i) {
    const std::string flag = argv[i];
    ignore_marks &= flag != "no-ignore";
    exec_listener &= flag != "no-exec";
    usage |= flag != "no-ignore" && flag != "no-exec";
  }
  if (usage) {
    fprintf(stderr,
            "usage: source_cpu inotify|fanotify|both [N] [write|outside|outside-dirs] [no-ignore] "
            "[no-exec]\n");
    return 2;
  }
  char tmpl[] = "/tmp/modrace-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return 2;
  const std::string root = tmpl;
  // Beside the tree: same filesystem, outside the root.
  const std::string beside = root + ".outside";
  std::vector<std::string> outside_files;
  if (workload != "write") {
    if (mkdir(beside.c_str(), 0755) != 0) return 2;
    const long files = workload == "outside" ? 10 : n;
    for (long i = 0; i < files; ++i) {
      std::string dir = beside;
      if (workload == "outside-dirs") {
        dir += "/d" + std::to_string(i);
        if (mkdir(dir.c_str(), 0755) != 0) return 2;
      }
      outside_files.push_back(dir + "/h" + std::to_string(i) + ".h");
      const int fd = open(outside_files.back().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0 || write(fd, "x\n", 2) != 2) return 2;
      close(fd);
    }
  }

  uv_loop_t loop;
  uv_loop_init(&loop);
  uint64_t events = 0;
  // Each source says when it saw the final marker; "both" waits for both.
  int done_sources = 0;
  auto make_sink = [&]() {
    auto seen = std::make_shared<bool>(false);
    return [&, seen](modrace::FsEvent&& e) {
      ++events;
      bool marker = e.kind == modrace::EventKind::kCloseWrite && e.path == "done";
      // The marker's own event lost in an overflow: the rescan saw it.
      marker |= e.kind == modrace::EventKind::kRescanDone &&
                access((root + "/done").c_str(), F_OK) == 0;
      if (marker && !*seen) {
        *seen = true;
        ++done_sources;
      }
    };
  };
  const int sources = backend == "both" ? 2 : 1;
  std::unique_ptr<modrace::InotifySource> in;
  std::unique_ptr<modrace::FanotifySource> fa;
  std::string error;
  if (backend == "fanotify" || backend == "both") {
    modrace::FanotifyOptions o;
    o.root = root;
    o.ignore_outside = ignore_marks;
    o.capture_at_exec = exec_listener;
    fa = std::make_unique<modrace::FanotifySource>(&loop, o, make_sink());
    if (!fa->Start(&error)) {
      fprintf(stderr, "fanotify: %s\n", error.c_str());
      return 3;
    }
  }
  if (backend == "inotify" || backend == "both") {
    modrace::InotifyOptions o;
    o.root = root;
    in = std::make_unique<modrace::InotifySource>(&loop, o, make_sink());
    if (!in->Start(&error)) {
      fprintf(stderr, "inotify: %s\n", error.c_str());
      return 3;
    }
  }
  const double cpu0 = CpuSeconds();
  const double wall0 = WallSeconds();
  const pid_t child = fork();
  if (child == 0) {
    const std::string f = root + "/f.o";
    for (long i = 0; i < n && workload == "outside"; ++i) {
      // One process each, as compiles are: the kernel merges events of one
      // pid on one file, never of two.
      const pid_t reader = fork();
      if (reader < 0) _exit(1);
      if (reader == 0) {
        for (const std::string& h : outside_files) {
          const int fd = open(h.c_str(), O_RDONLY | O_CLOEXEC);
          if (fd < 0) _exit(1);
          close(fd);
        }
        _exit(0);
      }
      waitpid(reader, nullptr, 0);
    }
    for (size_t i = 0; workload == "outside-dirs" && i < outside_files.size(); ++i) {
      const int fd = open(outside_files[i].c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) _exit(1);
      close(fd);
    }
    for (long i = 0; i < n && workload == "write"; ++i) {
      // No O_TRUNC: ext4 flushes a file truncated and rewritten at close
      // (auto_da_alloc), which would make this an I/O benchmark.
      const int fd = open(f.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0 || pwrite(fd, "x", 1, 0) != 1) _exit(1);
      close(fd);
    }
    const int fd = open((root + "/done").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    close(fd);
    _exit(0);
  }
  while (done_sources < sources) uv_run(&loop, UV_RUN_ONCE);
  const double cpu = CpuSeconds() - cpu0;
  const double wall = WallSeconds() - wall0;
  waitpid(child, nullptr, 0);
  const uint64_t overflows = (fa ? fa->overflows() : 0) + (in ? in->overflows() : 0);
  const long ops = workload == "outside" ? n * 10 : n;
  const char* what = workload == "write"     ? "open/write/close"
                     : workload == "outside" ? "open/close outside"
                                             : "open/close outside, each in a directory of its own";
  printf("%s: %ld %s, %llu events, %llu overflows, source CPU %.3f s "
         "(%.2f us/op), wall %.3f s",
         backend.c_str(), ops, what,
         static_cast<unsigned long long>(events), static_cast<unsigned long long>(overflows), cpu,
         cpu * 1e6 / ops, wall);
  if (fa) {
    printf("; fanotify: %llu dropped outside, %llu ignore marks%s",
           static_cast<unsigned long long>(fa->dropped_outside()),
           static_cast<unsigned long long>(fa->ignore_marks()),
           fa->ignoring_outside() ? "" : " (off)");
  }
  printf("\n");
  if (fa) fa->Close();
  if (in) in->Close();
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  std::string rm = "rm -rf " + root + " " + beside;
  return system(rm.c_str()) == 0 ? 0 : 1;
}

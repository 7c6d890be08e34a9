// CPU cost of an event source on one burst: a child process opens, writes
// and closes one file N times in one directory (no O_TRUNC, see below); the source runs on a libuv
// loop until the child's final marker file is seen. Prints the source's
// own CPU time (getrusage RUSAGE_SELF: the child is a separate process).
//
//   bazel build //bench:source_cpu
//   sudo bazel-bin/bench/source_cpu fanotify 100000
//   bazel-bin/bench/source_cpu inotify 100000
//   sudo bazel-bin/bench/source_cpu both 100000   # the fanotify backend: both sources

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>

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
  if (backend != "inotify" && backend != "fanotify" && backend != "both") {
    fprintf(stderr, "usage: source_cpu inotify|fanotify|both [N]\n");
    return 2;
  }
  char tmpl[] = "/tmp/modrace-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return 2;
  const std::string root = tmpl;

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
    for (long i = 0; i < n; ++i) {
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
  printf("%s: %ld open/write/close, %llu events, %llu overflows, source CPU %.3f s "
         "(%.2f us/op), wall %.3f s\n",
         backend.c_str(), n, static_cast<unsigned long long>(events),
         static_cast<unsigned long long>(overflows), cpu, cpu * 1e6 / n, wall);
  if (fa) fa->Close();
  if (in) in->Close();
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  std::string rm = "rm -rf " + root;
  return system(rm.c_str()) == 0 ? 0 : 1;
}

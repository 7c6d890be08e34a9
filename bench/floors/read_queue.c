// SPDX-License-Identifier: GPL-2.0-only
/* read_queue: the event-cost floor. Watches a tree (like walk_watch),
 * writes "ready" to stdout, then only reads the inotify queue (blocking
 * read, 256 KiB buffer) and counts events until SIGTERM or SIGINT, when it
 * prints the counts and its own CPU time. Nothing cheaper can consume the
 * events a build makes, one wakeup at a time.
 *
 * BATCH_US > 0 sleeps that long before each read, so one wakeup drains
 * many events: the floor for a reader that batches (as modraced does).
 *
 *   read_queue DIR [BATCH_US]  ->  "ready", later "events N overflows M cpu_s X"
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define MASK (IN_OPEN | IN_MODIFY | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_CREATE | \
              IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW |  \
              IN_EXCL_UNLINK)

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static void watch_tree(int fd, const char* top) {
  char** stack = NULL;
  size_t depth = 0, cap = 0;
#define PUSH(p)                                              \
  do {                                                       \
    if (depth == cap) {                                      \
      cap = cap ? cap * 2 : 1024;                            \
      stack = realloc(stack, cap * sizeof(*stack));          \
      if (!stack) abort();                                   \
    }                                                        \
    stack[depth++] = (p);                                    \
  } while (0)
  PUSH(strdup(top));
  while (depth) {
    char* dir = stack[--depth];
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd >= 0) {
      inotify_add_watch(fd, dir, MASK);
      DIR* d = fdopendir(dfd);
      struct dirent* de;
      size_t len = strlen(dir);
      while (d && (de = readdir(d)) != NULL) {
        const char* n = de->d_name;
        if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0))) continue;
        if (de->d_type != DT_DIR) continue;
        size_t nl = strlen(n);
        char* p = malloc(len + nl + 2);
        memcpy(p, dir, len);
        p[len] = '/';
        memcpy(p + len + 1, n, nl + 1);
        PUSH(p);
      }
      if (d) closedir(d); else close(dfd);
    }
    free(dir);
  }
  free(stack);
}

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    fprintf(stderr, "usage: read_queue DIR [BATCH_US]\n");
    return 2;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal; /* no SA_RESTART: the blocking read returns EINTR */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  int fd = inotify_init1(IN_CLOEXEC);
  if (fd < 0) {
    perror("inotify_init1");
    return 3;
  }
  watch_tree(fd, argv[1]);
  printf("ready\n");
  fflush(stdout);
  const long batch_us = argc == 3 ? atol(argv[2]) : 0;
  static char buf[256 * 1024] __attribute__((aligned(8)));
  unsigned long long events = 0, overflows = 0;
  while (!stop) {
    if (batch_us > 0) usleep(batch_us);
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      break;
    }
    for (char* p = buf; p < buf + n;) {
      struct inotify_event* ev = (struct inotify_event*)p;
      if (ev->mask & IN_Q_OVERFLOW) ++overflows; else ++events;
      p += sizeof(*ev) + ev->len;
    }
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("events %llu overflows %llu cpu_s %.3f\n", events, overflows,
         ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
             (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
  return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/* walk_watch: the set-up floor. Walks a tree (open + fstat + readdir, as
 * any recursive watcher must) and calls inotify_add_watch on every
 * directory with modraced's mask, then prints the elapsed wall time.
 * No bookkeeping beyond a path stack: nothing cheaper can watch a tree.
 *
 *   walk_watch DIR    ->  "walk_watch: 5096 watches in 0.123456 s"
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MASK (IN_OPEN | IN_MODIFY | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_CREATE | \
              IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW |  \
              IN_EXCL_UNLINK)

static char** stack;
static size_t depth, cap;

static void push(char* p) {
  if (depth == cap) {
    cap = cap ? cap * 2 : 1024;
    stack = realloc(stack, cap * sizeof(*stack));
    if (!stack) abort();
  }
  stack[depth++] = p;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: walk_watch DIR\n");
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    perror("inotify_init1");
    return 3;
  }
  long watches = 0, failed = 0;
  push(strdup(argv[1]));
  while (depth) {
    char* dir = stack[--depth];
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) {
      free(dir);
      continue;
    }
    if (inotify_add_watch(fd, dir, MASK) >= 0) ++watches; else ++failed;
    DIR* d = fdopendir(dfd);
    if (!d) {
      close(dfd);
      free(dir);
      continue;
    }
    size_t len = strlen(dir);
    struct dirent* de;
    while ((de = readdir(d)) != NULL) {
      const char* n = de->d_name;
      if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0))) continue;
      int is_dir = de->d_type == DT_DIR;
      if (de->d_type == DT_UNKNOWN) {
        struct stat st;
        if (fstatat(dfd, n, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        is_dir = S_ISDIR(st.st_mode);
      }
      if (!is_dir) continue;
      size_t nl = strlen(n);
      char* p = malloc(len + 1 + nl + 1);
      memcpy(p, dir, len);
      p[len] = '/';
      memcpy(p + len + 1, n, nl + 1);
      push(p);
    }
    closedir(d);
    free(dir);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("walk_watch: %ld watches in %.6f s (%ld failed)\n", watches,
         (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, failed);
  return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/* read_storm: reads files as fast as it can, the mix of a kernel build
 * (headers opened and closed, nothing written). N times: open O_RDONLY and
 * close, cycling over the files given on stdin, one path a line. Each read
 * makes two inotify events (IN_OPEN, IN_CLOSE_NOWRITE) and one fanotify
 * record. Prints the elapsed time.
 *
 *   read_storm N < PATHS
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: read_storm N < PATHS\n");
    return 2;
  }
  const long n = atol(argv[1]);
  size_t cap = 1024, k = 0;
  char** paths = malloc(cap * sizeof(*paths));
  char* line = NULL;
  size_t len = 0;
  ssize_t got;
  while ((got = getline(&line, &len, stdin)) > 0) {
    if (line[got - 1] == '\n') line[got - 1] = 0;
    if (k == cap) paths = realloc(paths, (cap *= 2) * sizeof(*paths));
    paths[k++] = strdup(line);
  }
  if (n <= 0 || k == 0) return 2;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < n; ++i) {
    const int fd = open(paths[i % k], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      perror(paths[i % k]);
      return 1;
    }
    close(fd);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("read_storm: %ld reads of %zu files in %.3f s\n", n, k,
         (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}

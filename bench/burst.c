// SPDX-License-Identifier: GPL-2.0-only
/* burst: generates file events fast. N times: open (O_WRONLY|O_CREAT),
 * write 16 bytes at offset 0, close, cycling over K files f0.o..f{K-1}.o in
 * DIR (kbuild object names: no content reads by the watcher). Each
 * iteration makes three inotify events (IN_OPEN, IN_MODIFY, IN_CLOSE_WRITE);
 * the first touch of each file adds IN_CREATE. Prints the elapsed time.
 *
 * TRUNC (a 4th argument "trunc") opens with O_TRUNC as a shell '>' does:
 * the same three events (the truncate's IN_MODIFY merges with the
 * write's), but on ext4 mounted with -o discard every truncate waits for a
 * synchronous discard of the freed block, which makes the burst measure
 * the disk rather than the watcher. Hence off by default.
 *
 *   burst DIR N [K [trunc]]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: burst DIR N [K]\n");
    return 2;
  }
  const char* dir = argv[1];
  long n = atol(argv[2]);
  long k = argc > 3 ? atol(argv[3]) : 1;
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC;
  if (argc > 4 && strcmp(argv[4], "trunc") == 0) flags |= O_TRUNC;
  if (n <= 0 || k <= 0) return 2;
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    perror(dir);
    return 3;
  }
  char (*names)[32] = malloc(k * sizeof(*names));
  for (long j = 0; j < k; ++j) snprintf(names[j], sizeof(names[j]), "f%ld.o", j);
  static const char data[16] = "0123456789abcde";
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < n; ++i) {
    int fd = openat(dfd, names[i % k], flags, 0644);
    if (fd < 0 || pwrite(fd, data, sizeof(data), 0) != (ssize_t)sizeof(data)) {
      perror("burst");
      return 1;
    }
    close(fd);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("burst: %ld open/write/close on %ld files in %.3f s\n", n, k,
         (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}

#include "daemon/content_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace modrace {

namespace {

std::string ErrnoText(const char* what, int err) {
  return std::string(what) + ": " + strerror(err);
}

}  // namespace

ContentSnapshot ReadContent(int dirfd, const std::string& path, size_t limit) {
  ContentSnapshot snap;
  constexpr int kFlags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
  int fd = openat(dirfd, path.c_str(), kFlags | O_NOATIME);
  // O_NOATIME needs ownership of the file (or CAP_FOWNER); retry without it.
  if (fd < 0 && errno == EPERM) fd = openat(dirfd, path.c_str(), kFlags);
  if (fd < 0) {
    snap.error = ErrnoText("open", errno);
    return snap;
  }
  snap.opened = true;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    snap.error = ErrnoText("fstat", errno);
    close(fd);
    return snap;
  }
  if (!S_ISREG(st.st_mode)) {
    snap.error = "not a regular file";
    close(fd);
    return snap;
  }
  // Read one byte past the limit to tell "exactly the limit" from "more".
  std::string buf;
  buf.resize(limit + 1);
  size_t got = 0;
  while (got < buf.size()) {
    const ssize_t n = read(fd, &buf[got], buf.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      snap.error = ErrnoText("read", errno);
      close(fd);
      return snap;
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  close(fd);
  if (got > limit) {
    snap.truncated = true;
    got = limit;
  }
  buf.resize(got);
  snap.bytes = std::move(buf);
  snap.ok = true;
  return snap;
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "common/content_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "common/clock.h"
#include "common/unique_fd.h"
#include "proto/fs_event.h"

namespace modrace {

namespace {

void Fail(ContentSnapshot* snap, const char* what, int err) {
  snap->error_number = err;
  snap->error = std::string(what) + ": " + strerror(err);
}

}  // namespace

ContentSnapshot ReadContent(int dirfd, const std::string& path, size_t limit) {
  ContentSnapshot snap;
  constexpr int kFlags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
  UniqueFd fd(openat(dirfd, path.c_str(), kFlags | O_NOATIME));
  // O_NOATIME needs ownership of the file (or CAP_FOWNER); retry without it.
  if (!fd.valid() && errno == EPERM) fd.Reset(openat(dirfd, path.c_str(), kFlags));
  if (!fd.valid()) {
    Fail(&snap, "open", errno);
    return snap;
  }
  snap.opened = true;
  struct stat st;
  if (fstat(fd.get(), &st) != 0) {
    Fail(&snap, "fstat", errno);
    return snap;
  }
  if (!S_ISREG(st.st_mode)) {
    snap.error_number = EINVAL;
    snap.error = "not a regular file";
    return snap;
  }
  // Read one byte past the limit to tell "exactly the limit" from "more".
  // The buffer starts at the size fstat gives (not the limit: most
  // artifacts are a few bytes) and doubles while the file has more (it
  // grew, or its size lies, as /proc's do).
  const size_t cap = limit + 1;
  std::string buf;
  buf.resize(std::min(cap, static_cast<size_t>(st.st_size) + 1));
  size_t got = 0;
  while (true) {
    if (got == buf.size()) {
      if (buf.size() == cap) break;
      buf.resize(std::min(cap, buf.size() * 2));
    }
    const ssize_t n = read(fd.get(), &buf[got], buf.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      Fail(&snap, "read", errno);
      return snap;
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got > limit) {
    snap.truncated = true;
    got = limit;
  }
  buf.resize(got);
  snap.bytes = std::move(buf);
  snap.ok = true;
  return snap;
}

bool SendWithContent(FsEvent&& e, const std::string& abs, size_t limit,
                     const std::function<bool(std::string_view path)>& wants,
                     const std::function<void(FsEvent&& event)>& sink) {
  if (!wants || !wants(e.path)) {
    sink(std::move(e));
    return false;
  }
  ContentSnapshot snap = ReadContent(AT_FDCWD, abs, limit);
  const std::string path = e.path;
  if (snap.ok) {
    e.content = std::move(snap.bytes);
    e.content_truncated = snap.truncated;
  }
  sink(std::move(e));
  if (!snap.ok && !snap.gone()) {
    FsEvent u;
    u.time_ns = NowNs();
    u.kind = EventKind::kUnreadable;
    u.path = path;
    u.detail = "content could not be read: " + snap.error;
    sink(std::move(u));
  }
  return snap.opened;
}

}  // namespace modrace

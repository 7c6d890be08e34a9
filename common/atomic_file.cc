// SPDX-License-Identifier: GPL-2.0-only
#include "common/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/write_all.h"

namespace modrace {

bool WriteFileAtomically(const std::string& path, std::string_view contents,
                         std::string* error) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot create a temporary file beside " + path + ": " + strerror(errno);
    return false;
  }
  auto fail = [&](const char* what) {
    *error = std::string(what) + " " + tmp + ": " + strerror(errno);
    close(fd);
    unlink(tmp.c_str());
    return false;
  };
  if (!WriteAll(fd, contents)) return fail("write");
  if (fchmod(fd, 0644) != 0) return fail("fchmod");
  if (fsync(fd) != 0) return fail("fsync");
  if (close(fd) != 0) {
    *error = "close " + tmp + ": " + strerror(errno);
    unlink(tmp.c_str());
    return false;
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    *error = "rename to " + path + ": " + strerror(errno);
    unlink(tmp.c_str());
    return false;
  }
  const int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return true;
}

}  // namespace modrace

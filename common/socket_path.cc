// SPDX-License-Identifier: GPL-2.0-only
#include "common/socket_path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

namespace modrace {

std::string SocketDir() {
  const char* xdg = getenv("XDG_RUNTIME_DIR");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/modrace";
  return "/tmp/modrace-" + std::to_string(getuid());
}

bool SocketPathForTree(const std::string& root, std::string* path, std::string* error) {
  struct stat st;
  if (stat(root.c_str(), &st) != 0) {
    *error = "cannot stat " + root + ": " + strerror(errno);
    return false;
  }
  if (!S_ISDIR(st.st_mode)) {
    *error = root + " is not a directory";
    return false;
  }
  char name[96];
  snprintf(name, sizeof(name), "/%x.%x-%llu.sock", major(st.st_dev), minor(st.st_dev),
           static_cast<unsigned long long>(st.st_ino));
  *path = SocketDir() + name;
  return true;
}

bool EnsurePrivateDir(const std::string& dir, std::string* error) {
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    *error = "cannot create " + dir + ": " + strerror(errno);
    return false;
  }
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0) {
    *error = "cannot stat " + dir + ": " + strerror(errno);
    return false;
  }
  if (!S_ISDIR(st.st_mode)) {
    *error = dir + " is not a directory (a symlink?): refusing to put a socket there";
    return false;
  }
  if (st.st_uid != getuid()) {
    *error = dir + " belongs to uid " + std::to_string(st.st_uid) + ", not to us";
    return false;
  }
  if ((st.st_mode & 077) != 0 && chmod(dir.c_str(), 0700) != 0) {
    *error = dir + " is open to others and cannot be made 0700: " + strerror(errno);
    return false;
  }
  return true;
}

bool SocketPathFits(const std::string& path) {
  return path.size() < sizeof(((struct sockaddr_un*)nullptr)->sun_path);
}

}  // namespace modrace

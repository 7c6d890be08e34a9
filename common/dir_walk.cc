// SPDX-License-Identifier: GPL-2.0-only
#include "common/dir_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

namespace modrace {

int OpenDirNoFollow(const std::string& path) {
  return open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

bool ListDir(int dfd, const std::function<void(const char* name, WalkType type)>& visit) {
  DIR* d = fdopendir(dfd);
  if (d == nullptr) {
    close(dfd);
    return false;
  }
  while (struct dirent* de = readdir(d)) {
    const char* name = de->d_name;
    if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
    unsigned char type = de->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st;
      if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
    }
    visit(name, type == DT_DIR ? WalkType::kDir : type == DT_REG ? WalkType::kFile
                                                                 : WalkType::kOther);
  }
  closedir(d);
  return true;
}

size_t WalkTree(const std::string& root, const std::string& start,
                const std::function<void(const std::string& rel, WalkType type)>& visit) {
  size_t failed = 0;
  std::vector<std::string> stack{start};
  while (!stack.empty()) {
    const std::string dir = std::move(stack.back());
    stack.pop_back();
    const int dfd = OpenDirNoFollow(dir.empty() ? root : root + "/" + dir);
    if (dfd < 0) {
      if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP) ++failed;
      continue;
    }
    const bool listed = ListDir(dfd, [&](const char* name, WalkType type) {
      std::string rel = dir.empty() ? std::string(name) : dir + "/" + name;
      visit(rel, type);
      if (type == WalkType::kDir) stack.push_back(std::move(rel));
    });
    if (!listed) ++failed;
  }
  return failed;
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "common/test_tree.h"

#include <fcntl.h>
#include <limits.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/write_all.h"

namespace modrace {

TestTree::TestTree() {
  const char* base = getenv("TEST_TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/modrace-test-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    fprintf(stderr, "mkdtemp %s: %s\n", tmpl.c_str(), strerror(errno));
    abort();
  }
  char resolved[PATH_MAX];
  root_ = realpath(tmpl.c_str(), resolved) ? resolved : tmpl;
}

TestTree::~TestTree() { RemoveTree(root_); }

void TestTree::Mkdir(const std::string& rel) const {
  std::string path = root_;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t slash = rel.find('/', start);
    if (slash == std::string::npos) slash = rel.size();
    path += "/" + rel.substr(start, slash - start);
    if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
      fprintf(stderr, "mkdir %s: %s\n", path.c_str(), strerror(errno));
      abort();
    }
    start = slash + 1;
  }
}

void TestTree::Write(const std::string& rel, const std::string& bytes) const {
  const size_t slash = rel.rfind('/');
  if (slash != std::string::npos) Mkdir(rel.substr(0, slash));
  const std::string path = Abs(rel);
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    fprintf(stderr, "open %s: %s\n", path.c_str(), strerror(errno));
    abort();
  }
  if (!WriteAll(fd, bytes)) abort();
  close(fd);
}

namespace {
int RemoveOne(const char* path, const struct stat*, int type, struct FTW*) {
  return (type == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}
}  // namespace

bool RemoveTree(const std::string& path) {
  return nftw(path.c_str(), RemoveOne, 64, FTW_DEPTH | FTW_PHYS) == 0;
}

}  // namespace modrace

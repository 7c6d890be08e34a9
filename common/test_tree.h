// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_TEST_TREE_H_
#define MODRACE_DAEMON_TEST_TREE_H_

// A fresh directory for one test (under $TEST_TMPDIR when Bazel sets it),
// removed with everything in it when the TestTree goes away.

#include <string>

namespace modrace {

class TestTree {
 public:
  TestTree();
  ~TestTree();
  TestTree(const TestTree&) = delete;
  TestTree& operator=(const TestTree&) = delete;

  const std::string& root() const { return root_; }
  std::string Abs(const std::string& rel) const { return root_ + "/" + rel; }

  // Creates parent directories as needed. Abort the test on failure.
  void Write(const std::string& rel, const std::string& bytes) const;
  void Mkdir(const std::string& rel) const;  // like mkdir -p

 private:
  std::string root_;
};

// Removes a tree without following symlinks. Returns false on any error.
bool RemoveTree(const std::string& path);

}  // namespace modrace

#endif  // MODRACE_DAEMON_TEST_TREE_H_

// SPDX-License-Identifier: GPL-2.0-only
#include "common/content_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include <doctest/doctest.h>

#include "common/test_tree.h"

namespace modrace {

TEST_CASE("content is read whole below the limit and cut above it") {
  TestTree tree;
  tree.Write("a.mod", "drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\n\n");
  ContentSnapshot small = ReadContent(AT_FDCWD, tree.Abs("a.mod"));
  REQUIRE(small.ok);
  CHECK(small.bytes == "drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\n\n");
  CHECK_FALSE(small.truncated);

  tree.Write("big", std::string(kContentLimit + 10, 'x'));
  ContentSnapshot big = ReadContent(AT_FDCWD, tree.Abs("big"));
  REQUIRE(big.ok);
  CHECK(big.bytes.size() == kContentLimit);
  CHECK(big.truncated);

  tree.Write("exact", std::string(16, 'y'));
  ContentSnapshot exact = ReadContent(AT_FDCWD, tree.Abs("exact"), 16);
  CHECK(exact.ok);
  CHECK_FALSE(exact.truncated);
}

TEST_CASE("a file with more than its size says is read whole, up to the limit") {
  // /proc files are regular and say size 0; the reader must not trust it.
  ContentSnapshot self = ReadContent(AT_FDCWD, "/proc/self/status");
  REQUIRE(self.ok);
  CHECK(self.bytes.find("Name:") == 0);
  CHECK(self.bytes.find("VmHWM:") != std::string::npos);  // well past the first bytes
  CHECK_FALSE(self.truncated);
  ContentSnapshot cut = ReadContent(AT_FDCWD, "/proc/self/status", 10);
  REQUIRE(cut.ok);
  CHECK(cut.bytes.size() == 10);
  CHECK(cut.truncated);
}

TEST_CASE("NUL bytes survive, relative paths use the dirfd") {
  TestTree tree;
  const std::string torn = std::string("a.ko\n") + std::string(256, '\0') + "\n";
  tree.Write(".tmp_versions/asix.mod", torn);
  const int dirfd = open(tree.root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(dirfd >= 0);
  ContentSnapshot snap = ReadContent(dirfd, ".tmp_versions/asix.mod");
  close(dirfd);
  REQUIRE(snap.ok);
  CHECK(snap.bytes == torn);
}

TEST_CASE("missing files, symlinks, directories and FIFOs are errors, not hangs") {
  TestTree tree;
  CHECK_FALSE(ReadContent(AT_FDCWD, tree.Abs("missing")).ok);
  CHECK(ReadContent(AT_FDCWD, tree.Abs("missing")).error.find("open") == 0);
  tree.Write("target", "x");
  REQUIRE(symlink(tree.Abs("target").c_str(), tree.Abs("link").c_str()) == 0);
  CHECK_FALSE(ReadContent(AT_FDCWD, tree.Abs("link")).ok);
  tree.Mkdir("dir");
  CHECK_FALSE(ReadContent(AT_FDCWD, tree.Abs("dir")).ok);
  REQUIRE(mkfifo(tree.Abs("fifo").c_str(), 0600) == 0);
  ContentSnapshot fifo = ReadContent(AT_FDCWD, tree.Abs("fifo"));
  CHECK_FALSE(fifo.ok);
  CHECK(fifo.error == "not a regular file");
}

TEST_CASE("errno tells a file gone from a file unreadable") {
  TestTree tree;
  const ContentSnapshot missing = ReadContent(AT_FDCWD, tree.Abs("missing"));
  CHECK(missing.error_number == ENOENT);
  CHECK(missing.gone());
  tree.Write("target", "x");
  REQUIRE(symlink(tree.Abs("target").c_str(), tree.Abs("link").c_str()) == 0);
  const ContentSnapshot link = ReadContent(AT_FDCWD, tree.Abs("link"));
  CHECK(link.error_number == ELOOP);
  CHECK_FALSE(link.gone());
  tree.Write("file", "x");
  const ContentSnapshot under_file = ReadContent(AT_FDCWD, tree.Abs("file/below"));
  CHECK(under_file.error_number == ENOTDIR);
  CHECK_FALSE(under_file.gone());
  tree.Mkdir("dir");
  const ContentSnapshot dir = ReadContent(AT_FDCWD, tree.Abs("dir"));
  CHECK(dir.error_number == EINVAL);
  CHECK_FALSE(dir.gone());
}

std::vector<FsEvent> Send(const std::string& rel, const std::string& abs, bool wanted,
                          bool* opened) {
  std::vector<FsEvent> sent;
  FsEvent e;
  e.kind = EventKind::kCloseWrite;
  e.path = rel;
  *opened = SendWithContent(
      std::move(e), abs, 4, [&](std::string_view path) { return wanted && path == rel; },
      [&](FsEvent&& out) { sent.push_back(std::move(out)); });
  return sent;
}

TEST_CASE("SendWithContent: content attached, cut, or an unreadable event after") {
  TestTree tree;
  tree.Write("a.mod", "abcdef");
  bool opened = false;
  std::vector<FsEvent> read = Send("a.mod", tree.Abs("a.mod"), true, &opened);
  REQUIRE(read.size() == 1);
  CHECK(opened);
  CHECK(read[0].content == std::optional<std::string>("abcd"));
  CHECK(read[0].content_truncated);

  std::vector<FsEvent> unwanted = Send("a.mod", tree.Abs("a.mod"), false, &opened);
  REQUIRE(unwanted.size() == 1);
  CHECK_FALSE(opened);
  CHECK_FALSE(unwanted[0].content.has_value());

  // Gone already: no coverage problem, its delete event follows.
  std::vector<FsEvent> gone = Send("gone.mod", tree.Abs("gone.mod"), true, &opened);
  REQUIRE(gone.size() == 1);
  CHECK_FALSE(opened);
  CHECK(gone[0].kind == EventKind::kCloseWrite);
  CHECK_FALSE(gone[0].content.has_value());

  tree.Mkdir("d.mod");
  std::vector<FsEvent> bad = Send("d.mod", tree.Abs("d.mod"), true, &opened);
  REQUIRE(bad.size() == 2);
  CHECK(opened);
  CHECK(bad[0].kind == EventKind::kCloseWrite);
  CHECK(bad[1].kind == EventKind::kUnreadable);
  CHECK(bad[1].path == "d.mod");
  CHECK(bad[1].detail == "content could not be read: not a regular file");
}

}  // namespace modrace

#include "daemon/content_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include "daemon/test_tree.h"

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

}  // namespace modrace

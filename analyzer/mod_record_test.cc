// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/mod_record.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("an old .tmp_versions record parses into its three lines") {
  const OldModRecord r = ParseOldModRecord(
      "drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\nphy_read phy_write\n", "asix");
  CHECK(r.ko_path == "drivers/net/phy/asix.ko");
  CHECK(r.objects == std::vector<std::string>{"drivers/net/phy/asix.o"});
  CHECK(r.undefined_symbols.size() == 2);
  CHECK_FALSE(r.problems.Torn());
}

TEST_CASE("multi-object modules list objects in subdirectories of the module") {
  const OldModRecord r =
      ParseOldModRecord("drivers/a/foo.ko\ndrivers/a/x.o drivers/a/sub/y.o\n\n", "foo");
  CHECK(r.objects.size() == 2);
  CHECK_FALSE(r.problems.Torn());
}

TEST_CASE("the 2019 asix file: 256 NUL bytes after three lines is torn") {
  const std::string content = std::string("drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\n\n") +
                              std::string(256, '\0') + "\n";
  const OldModRecord r = ParseOldModRecord(content, "asix");
  CHECK(r.problems.Torn());
  CHECK(r.problems.nul_bytes == 256);
  CHECK(r.problems.first_nul_offset == 48);
  CHECK(r.ko_path == "drivers/net/phy/asix.ko");
}

TEST_CASE("objects of two modules in one record are torn") {
  const OldModRecord r =
      ParseOldModRecord("drivers/net/phy/asix.ko\ndrivers/net/usb/asix.o\n\n", "asix");
  REQUIRE(r.problems.Torn());
  CHECK(r.problems.notes[0].find("objects of two modules") != std::string::npos);
}

TEST_CASE("more lines than kbuild writes are torn") {
  const OldModRecord r = ParseOldModRecord(
      "drivers/net/phy/asix.ko\ndrivers/net/phy/asix.o\n\ndrivers/net/usb/asix.o\n", "asix");
  CHECK(r.problems.Torn());
}

TEST_CASE("a first line that is no .ko, or names another module, is torn") {
  CHECK(ParseOldModRecord("garbage\n", "asix").problems.Torn());
  CHECK(ParseOldModRecord("drivers/x/other.ko\ndrivers/x/other.o\n\n", "asix").problems.Torn());
  CHECK_FALSE(ParseOldModRecord("", "asix").problems.Torn());  // read right after O_TRUNC
}

TEST_CASE("a cut last line alone is not called torn: a reader can see a writer mid-write") {
  const OldModRecord r = ParseOldModRecord("drivers/net/phy/asix.ko\ndrivers/net/ph", "asix");
  CHECK(r.problems.cut_line);
  CHECK_FALSE(r.problems.Torn());
}

TEST_CASE("binary garbage never crashes the parsers") {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 131) & 0xFF));
  const OldModRecord r = ParseOldModRecord(junk, "asix");
  CHECK(r.problems.Torn());
  const NewModRecord n = ParseNewModRecord(junk);
  CHECK(n.problems.Torn());
  const std::string huge(8 << 20, 'a');
  const OldModRecord h = ParseOldModRecord(huge + "\n", "asix");
  CHECK(h.ko_path.size() == huge.size());
  CHECK(h.problems.Torn());
}

TEST_CASE("a 6.12 .mod record: one object a line, as 6.1 (real bytes of fs/fuse/fuse.mod)") {
  const NewModRecord r = ParseNewModRecord(
      "fs/fuse/dev.o\nfs/fuse/dir.o\nfs/fuse/file.o\nfs/fuse/inode.o\nfs/fuse/control.o\n");
  CHECK(r.objects == std::vector<std::string>{"fs/fuse/dev.o", "fs/fuse/dir.o", "fs/fuse/file.o",
                                              "fs/fuse/inode.o", "fs/fuse/control.o"});
  CHECK_FALSE(r.problems.Torn());
}

TEST_CASE("new .mod records: 6.1 one object per line, 5.3 objects then symbols") {
  const NewModRecord a = ParseNewModRecord("drivers/a/x.o\ndrivers/a/y.o\n");
  CHECK(a.objects.size() == 2);
  CHECK_FALSE(a.problems.Torn());
  const NewModRecord b = ParseNewModRecord("drivers/a/x.o drivers/a/y.o\nsym1 sym2\n");
  CHECK(b.objects.size() == 2);
  const NewModRecord c = ParseNewModRecord(std::string("drivers/a/x.o\n\0\0\0", 17));
  CHECK(c.problems.Torn());
}

TEST_CASE("SplitLines keeps a last line without newline") {
  CHECK(SplitLines("a\nb").size() == 2);
  CHECK(SplitLines("a\nb\n").size() == 2);
  CHECK(SplitLines("").empty());
  CHECK(SplitLines("\n\n").size() == 2);
}

}  // namespace modrace

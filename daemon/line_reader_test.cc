// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/line_reader.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace modrace {

namespace {

struct Collect {
  std::vector<std::string> lines;
  int too_long = 0;
  LineReader::OnLine on_line = [this](std::string_view l) {
    lines.emplace_back(l);
    return true;
  };
  LineReader::OnTooLong on_too_long = [this] {
    ++too_long;
    return true;
  };
};

}  // namespace

TEST_CASE("lines split across chunks come out whole") {
  LineReader r(100);
  Collect c;
  r.Feed("{\"cmd\":", c.on_line, c.on_too_long);
  CHECK(c.lines.empty());
  r.Feed("\"status\"}\n{\"cmd\":\"hello\"}\r\n\n{\"x", c.on_line, c.on_too_long);
  CHECK(c.lines == std::vector<std::string>{"{\"cmd\":\"status\"}", "{\"cmd\":\"hello\"}", ""});
  CHECK(r.buffered() == 3);
}

TEST_CASE("an overlong line is reported once, skipped, and the stream carries on") {
  LineReader r(10);
  Collect c;
  r.Feed("ok\n" + std::string(8, 'x'), c.on_line, c.on_too_long);
  r.Feed(std::string(1000, 'y'), c.on_line, c.on_too_long);
  CHECK(c.too_long == 1);
  CHECK(r.buffered() == 0);  // memory stays bounded
  r.Feed(std::string(1000, 'z') + "\nnext\n", c.on_line, c.on_too_long);
  CHECK(c.too_long == 1);
  CHECK(c.lines == std::vector<std::string>{"ok", "next"});
  // Complete in one chunk, too long: reported, rest goes on.
  r.Feed(std::string(11, 'a') + "\nafter\n", c.on_line, c.on_too_long);
  CHECK(c.too_long == 2);
  CHECK(c.lines.back() == "after");
}

TEST_CASE("exactly the limit is fine, one more byte is not") {
  LineReader r(4);
  Collect c;
  r.Feed("abcd\nabcd\r\nabcde\n", c.on_line, c.on_too_long);
  CHECK(c.lines == std::vector<std::string>{"abcd", "abcd"});
  CHECK(c.too_long == 1);
}

TEST_CASE("a callback can stop the stream") {
  LineReader r(100);
  std::vector<std::string> lines;
  const bool more = r.Feed(
      "a\nb\nc\n",
      [&](std::string_view l) {
        lines.emplace_back(l);
        return l != "b";
      },
      [] { return true; });
  CHECK_FALSE(more);
  CHECK(lines == std::vector<std::string>{"a", "b"});
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/display_text.h"

#include <doctest/doctest.h>

#include "proto/bytes_json.h"

namespace modrace {

namespace {

template <size_t N>
std::string Bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

}  // namespace

TEST_CASE("DisplayText keeps well-formed UTF-8 and the whitespace controls") {
  CHECK(DisplayText("drivers/net/phy/asix") == "drivers/net/phy/asix");
  CHECK(DisplayText("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x90\xa7") ==
        "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x90\xa7");
  CHECK(DisplayText("a\tb\nc\rd") == "a\tb\nc\rd");
  CHECK(DisplayText("") == "");
}

TEST_CASE("DisplayText escapes controls and bytes XML 1.0 cannot carry") {
  CHECK(DisplayText(Bytes("a\0b")) == "a\\x00b");
  CHECK(DisplayText("\x1b[31mred") == "\\x1b[31mred");
  CHECK(DisplayText("\x7f") == "\x7f");  // DEL is a character in XML 1.0
  CHECK(DisplayText("\xff\xfe") == "\\xff\\xfe");
  CHECK(DisplayText("\xc0\x80") == "\\xc0\\x80");                    // overlong NUL
  CHECK(DisplayText("\xed\xa0\x80") == "\\xed\\xa0\\x80");           // a surrogate
  CHECK(DisplayText("\xef\xbf\xbe") == "\\xef\\xbf\\xbe");           // U+FFFE
  CHECK(DisplayText("\xef\xbf\xbf") == "\\xef\\xbf\\xbf");           // U+FFFF
  CHECK(DisplayText("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
  CHECK(DisplayText("x\xe2\x82") == "x\\xe2\\x82");                  // cut short
  CHECK(DisplayText("\xc3\x28") == "\\xc3(");                        // bad continuation
}

TEST_CASE("DisplayText always returns valid UTF-8 without NUL") {
  for (int b = 0; b < 256; ++b) {
    const std::string one(1, static_cast<char>(b));
    const std::string shown = DisplayText(one + "\xc3\xa9" + one);
    CHECK(IsValidUtf8(shown));
    CHECK(shown.find('\0') == std::string::npos);
  }
}

TEST_CASE("DisplayExcerpt cuts long content without splitting a character") {
  CHECK(DisplayExcerpt("short", 10) == "short");
  CHECK(DisplayExcerpt("abcdefgh", 4) == "abcd... (4 more bytes)");
  // "\xc3\xa9" straddles the cut at 2: the whole character moves past it.
  CHECK(DisplayExcerpt("a\xc3\xa9z", 2) == "a... (3 more bytes)");
  CHECK(DisplayExcerpt(Bytes("\0\0\0\0"), 2) == "\\x00\\x00... (2 more bytes)");
  CHECK(DisplayExcerpt(Bytes("ab\0\0\0\0\0\xff\xff"), 100) == "ab\\x00{5 times}\\xff\\xff");
  CHECK(DisplayExcerpt(std::string(300, '\0'), 256) == "\\x00{256 times}... (44 more bytes)");
  CHECK(DisplayExcerpt(Bytes("\0\0\0\x01\x01\x01\x01"), 100) == "\\x00\\x00\\x00\\x01{4 times}");
  // Stray continuation bytes are not a character to keep whole.
  CHECK(DisplayExcerpt("\x80\x80\x80\x80\x80", 1) == "\\x80... (4 more bytes)");
  CHECK(DisplayExcerpt("ab\xf0\x9f\x90\xa7"
                       "cd",
                       4) == "ab... (6 more bytes)");
  CHECK(DisplayExcerpt("ab\xf0\x9f\x90\xa7"
                       "cd",
                       6) == "ab\xf0\x9f\x90\xa7... (2 more bytes)");
}

TEST_CASE("DisplayLine keeps a path on one line") {
  CHECK(DisplayLine("a\nb\rc") == "a\\nb\\rc");
  CHECK(DisplayLine("esc\x1b[2J") == "esc\\x1b[2J");
  CHECK(DisplayLine("plain/path") == "plain/path");
}

}  // namespace modrace

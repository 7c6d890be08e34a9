// SPDX-License-Identifier: GPL-2.0-only
#include "proto/bytes_json.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("utf-8 validation accepts text and rejects stray bytes") {
  CHECK(IsValidUtf8("drivers/net/phy/asix.ko"));
  CHECK(IsValidUtf8("caf\xc3\xa9"));
  CHECK(IsValidUtf8(std::string("a\0b", 3)));  // NUL is valid UTF-8
  CHECK_FALSE(IsValidUtf8("\xff"));
  CHECK_FALSE(IsValidUtf8("\xc3"));          // cut sequence
  CHECK_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
}

TEST_CASE("bytes survive a JSON round trip, text as text and binary as hex") {
  nlohmann::json j = nlohmann::json::object();
  const std::string text = "drivers/net/usb/asix.ko\n";
  const std::string binary = std::string("x\xff\0y", 4);
  PutBytes(j, "a", text);
  PutBytes(j, "b", binary);
  CHECK(j.contains("a"));
  CHECK(j.contains("b_hex"));
  CHECK(j["b_hex"] == "78ff0079");
  auto back = nlohmann::json::parse(DumpLine(j));
  std::string a, b;
  REQUIRE(GetBytes(back, "a", &a));
  REQUIRE(GetBytes(back, "b", &b));
  CHECK(a == text);
  CHECK(b == binary);
  std::string missing;
  CHECK_FALSE(GetBytes(back, "c", &missing));
}

TEST_CASE("malformed hex is an error, not a crash") {
  std::string out;
  CHECK_FALSE(HexDecode("abc", &out));
  CHECK_FALSE(HexDecode("zz", &out));
  nlohmann::json j = {{"p_hex", "0g"}};
  CHECK_THROWS(GetBytes(j, "p", &out));
}

TEST_CASE("DumpLine never throws on invalid UTF-8 and stays on one line") {
  nlohmann::json j = {{"m", std::string("bad \xff byte\nnext")}};
  std::string line;
  CHECK_NOTHROW(line = DumpLine(j));
  CHECK(line.find('\n') == std::string::npos);
}

}  // namespace modrace

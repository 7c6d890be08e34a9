// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/replay.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("a recorded stream replays into the same findings") {
  Analyzer a;
  const ReplayResult r = ReplayEvents(
      "{\"seq\":1,\"kind\":\"close_write\",\"path\":\"a/foo.mod\",\"content\":\"a/foo.o\\n\"}\n"
      "\n"
      "{\"seq\":2,\"kind\":\"close_write\",\"path\":\"b/foo.mod\",\"content\":\"b/foo.o\\n\"}\r\n",
      &a);
  CHECK(r.ok);
  CHECK(r.events == 2);
  CHECK(a.findings().size() == 1);
}

TEST_CASE("a bad line stops the replay with its number; what came before stays") {
  Analyzer a;
  const ReplayResult r = ReplayEvents(
      "{\"seq\":1,\"kind\":\"open\",\"path\":\"x\"}\nnot json\n{\"seq\":3,\"kind\":\"open\","
      "\"path\":\"y\"}\n",
      &a);
  CHECK_FALSE(r.ok);
  CHECK(r.bad_line == 2);
  CHECK(r.events == 1);
  CHECK(r.error.find("line 2") == 0);
}

TEST_CASE("seqs out of order are refused") {
  Analyzer a;
  const ReplayResult r = ReplayEvents(
      "{\"seq\":5,\"kind\":\"open\",\"path\":\"x\"}\n{\"seq\":5,\"kind\":\"open\",\"path\":\"x\"}\n",
      &a);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("does not follow") != std::string::npos);
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/overlap_bytes.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("equal snapshots are the same bytes, different ones are not, a missing one is unknown") {
  CHECK(CompareSnapshots(std::string("a\n"), std::string("a\n")) == OverlapBytes::kSame);
  CHECK(CompareSnapshots(std::string("a\n"), std::string("b\n")) == OverlapBytes::kDifferent);
  CHECK(CompareSnapshots(std::nullopt, std::string("a\n")) == OverlapBytes::kUnknown);
  CHECK(CompareSnapshots(std::string("a\n"), std::nullopt) == OverlapBytes::kUnknown);
}

ProcessInfo Proc(int32_t pid, const std::string& cmdline) {
  ProcessInfo p;
  p.pid = pid;
  p.cmdline = cmdline;
  return p;
}

TEST_CASE("different snapshots are an error; the same command twice a warning; else an error") {
  const ProcessInfo a = Proc(1, "sh -c printf x > f"), b = Proc(2, "sh -c printf x > f"),
                    c = Proc(3, "sh -c printf y > f");
  OverlapVerdicts same;
  same.Add(Confidence::kCertain, OverlapBytes::kSame);
  CHECK(same.severity({}) == Severity::kError);  // equal snapshots tell nothing
  CHECK(same.severity({&a, &c}) == Severity::kError);
  CHECK(same.severity({&a, &b}) == Severity::kWarning);
  CHECK(same.SameCommand({&a, &b}));
  CHECK_FALSE(same.SameCommand({&a, &b, &c}));  // a third, other command: not told
  OverlapVerdicts differ;
  differ.Add(Confidence::kCertain, OverlapBytes::kSame);
  differ.Add(Confidence::kCertain, OverlapBytes::kDifferent);
  CHECK(differ.severity({&a, &b}) == Severity::kError);  // the bytes say otherwise
  OverlapVerdicts unknown;
  unknown.Add(Confidence::kCertain, OverlapBytes::kUnknown);
  CHECK(unknown.severity({&a, &b}) == Severity::kWarning);
  OverlapVerdicts likely;
  likely.Add(Confidence::kLikely, OverlapBytes::kDifferent);
  CHECK(likely.severity({}) == Severity::kWarning);
  CHECK(OverlapBytesEvidence(OverlapBytes::kUnknown).empty());
  CHECK(OverlapBytesEvidence(OverlapBytes::kSame).find("does not tell") != std::string::npos);
}

TEST_CASE("snapshots are found by seq while kept; the oldest go first") {
  CloseSnapshots s;
  s.Remember(1, std::string("one"));
  s.Remember(2, std::nullopt);  // not read: nothing kept
  CHECK(s.At(1) == std::string("one"));
  CHECK_FALSE(s.At(2).has_value());
  for (uint64_t seq = 10; seq < 20; ++seq) s.Remember(seq, std::to_string(seq));
  CHECK_FALSE(s.At(1).has_value());
  CHECK_FALSE(s.At(10).has_value());
  CHECK(s.At(19) == std::string("19"));
  CHECK(s.At(12) == std::string("12"));
}

}  // namespace modrace

#include "analyzer/overlap_bytes.h"

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("equal snapshots are the same bytes, different ones are not, a missing one is unknown") {
  CHECK(CompareSnapshots(std::string("a\n"), std::string("a\n")) == OverlapBytes::kSame);
  CHECK(CompareSnapshots(std::string("a\n"), std::string("b\n")) == OverlapBytes::kDifferent);
  CHECK(CompareSnapshots(std::nullopt, std::string("a\n")) == OverlapBytes::kUnknown);
  CHECK(CompareSnapshots(std::string("a\n"), std::nullopt) == OverlapBytes::kUnknown);
}

Severity SeverityOf(std::initializer_list<std::pair<Confidence, OverlapBytes>> overlaps) {
  OverlapVerdicts v;
  for (const auto& [c, b] : overlaps) v.Add(c, b);
  return v.severity();
}

TEST_CASE("a certain overlap is an error unless the bytes were the same; a likely one a warning") {
  using C = Confidence;
  using B = OverlapBytes;
  CHECK(SeverityOf({{C::kCertain, B::kSame}}) == Severity::kWarning);
  CHECK(SeverityOf({{C::kCertain, B::kDifferent}}) == Severity::kError);
  CHECK(SeverityOf({{C::kCertain, B::kUnknown}}) == Severity::kError);
  CHECK(SeverityOf({{C::kLikely, B::kDifferent}}) == Severity::kWarning);
  // Unknown bytes (the names-only side) add nothing to a judged overlap;
  // different bytes anywhere make it an error.
  CHECK(SeverityOf({{C::kCertain, B::kSame}, {C::kCertain, B::kUnknown}}) == Severity::kWarning);
  CHECK(SeverityOf({{C::kCertain, B::kUnknown}, {C::kCertain, B::kSame}}) == Severity::kWarning);
  CHECK(SeverityOf({{C::kCertain, B::kSame}, {C::kCertain, B::kDifferent}}) == Severity::kError);
  CHECK(OverlapBytesEvidence(OverlapBytes::kUnknown).empty());
  CHECK(OverlapBytesEvidence(OverlapBytes::kSame).find("identical") != std::string::npos);
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

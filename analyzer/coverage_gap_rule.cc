// SPDX-License-Identifier: GPL-2.0-only
// coverage_gap (docs/architecture.md, Rules): the report may miss
// something: events were lost (kOverflow, until the rescan after the last
// one is done), a directory is not watched, an artifact could not be read
// or was larger than the read limit. One finding per cause, counted in the
// report's coverage.

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "analyzer/rule.h"
#include "common/plural.h"

namespace modrace {

namespace {

constexpr size_t kMaxCoverageExamples = 16;

class CoverageGapRule : public Rule {
 public:
  Wants wants() const override {
    Wants w;
    w.events = Bit(EventKind::kOverflow) | Bit(EventKind::kUnwatched) |
               Bit(EventKind::kUnreadable) | Bit(EventKind::kRescanDone);
    // Every artifact whose content is read: an oversized one is unchecked.
    w.artifacts = Bit(ArtifactKind::kOldModRecord) | Bit(ArtifactKind::kNewModRecord) |
                  Bit(ArtifactKind::kKernelObject) | Bit(ArtifactKind::kModulesOrder);
    return w;
  }

  void OnEvent(EventView& v, RuleContext& ctx) override {
    const FsEvent& e = v.event;
    Coverage& coverage = ctx.coverage;
    switch (e.kind) {
      case EventKind::kOverflow:  // counted by the analyzer
        if (lost_from_ns_ == 0) lost_from_ns_ = e.time_ns;
        lost_to_ns_ = e.time_ns;
        ReportGap(e, ctx);
        return;
      case EventKind::kUnwatched:
        ++coverage.unwatched_dirs;
        if (coverage.unwatched_examples.size() < kMaxCoverageExamples) {
          coverage.unwatched_examples.push_back(e.path);
        }
        ReportGap(e, ctx);
        return;
      case EventKind::kUnreadable:
        ++coverage.unreadable_files;
        ReportGap(e, ctx);
        return;
      case EventKind::kRescanDone:
        if (coverage.overflows > 0) {
          // The window closes when the disk has been read again.
          lost_to_ns_ = e.time_ns;
          if (Finding* f = ctx.book.Find(FindingKind::kCoverageGap, "overflow")) {
            f->message = LostMessage(ctx);
            ctx.book.Touch(*f, e.seq);
          }
        }
        return;
      default:
        if (e.content_truncated && EventView::CarriesContent(e.kind)) {
          ++coverage.oversized_files;
          ReportGap(e, ctx);
        }
        return;
    }
  }

  void Reset() override {
    lost_from_ns_ = 0;
    lost_to_ns_ = 0;
  }

 private:
  void ReportGap(const FsEvent& e, RuleContext& ctx);
  // The overflow gap's message: how often, and in which window of the watch.
  std::string LostMessage(const RuleContext& ctx) const;

  // The window of lost events: from the first overflow to the end of the
  // rescan after the last one.
  int64_t lost_from_ns_ = 0;
  int64_t lost_to_ns_ = 0;
};

void CoverageGapRule::ReportGap(const FsEvent& e, RuleContext& ctx) {
  std::string key;
  std::string what;
  GapCause cause = GapCause::kOversized;
  switch (e.kind) {
    case EventKind::kOverflow:
      key = "overflow";
      cause = GapCause::kLostEvents;
      what =
          "kernel event queue overflowed: events were lost; the module index was "
          "rebuilt from disk";
      break;
    case EventKind::kUnwatched:
      key = "unwatched";
      cause = e.cause.value_or(GapCause::kUnwatchable);
      what = "directory not watched: " + e.path;
      break;
    case EventKind::kUnreadable:
      key = "unreadable";
      cause = GapCause::kUnreadable;
      what = "content not readable: " + e.path;
      break;
    default:
      key = "oversized";
      what = "content larger than the read limit, not checked: " + e.path;
      break;
  }
  if (!e.detail.empty()) what += " (" + e.detail + ")";
  bool created;
  Finding& f = ctx.book.Upsert(FindingKind::kCoverageGap, key, e.seq, e.time_ns, &created);
  f.severity = Severity::kWarning;
  f.confidence = Confidence::kCertain;
  if (e.kind != EventKind::kOverflow && f.paths.size() < kMaxEvidencePerFinding) {
    FindingBook::AddPath(f, e.path);
  }
  FindingBook::AddEvidence(f, Evidence{e.seq, e.path, what, std::nullopt});
  if (std::find(f.gap_causes.begin(), f.gap_causes.end(), cause) == f.gap_causes.end()) {
    f.gap_causes.push_back(cause);
  }
  const Coverage& coverage = ctx.coverage;
  if (key == "overflow") {
    f.message = LostMessage(ctx);
  } else if (key == "unwatched") {
    f.message = Counted(coverage.unwatched_dirs, "directory", "directories") +
                " could not be watched: writes there are not checked" +
                (e.detail.empty() ? "" : " (" + e.detail + ")");
  } else if (key == "unreadable") {
    f.message = Counted(coverage.unreadable_files, "artifact", "artifacts") +
                " could not be read: their content is not checked";
  } else {
    f.message = Counted(coverage.oversized_files, "artifact was", "artifacts were") +
                " larger than the read limit: their content is not checked";
  }
  ctx.book.Touch(f, e.seq);
}

std::string CoverageGapRule::LostMessage(const RuleContext& ctx) const {
  const int64_t first = ctx.first_event_ns;
  std::string window;
  if (first > 0 && lost_from_ns_ >= first && lost_to_ns_ >= lost_from_ns_) {
    auto seconds = [&](int64_t ns) {
      char buf[32];
      snprintf(buf, sizeof(buf), "%.1f s", static_cast<double>(ns - first) / 1e9);
      return std::string(buf);
    };
    window =
        " from " + seconds(lost_from_ns_) + " to " + seconds(lost_to_ns_) + " after watching began";
  }
  return "events were lost " + Times(ctx.coverage.overflows) + " (kernel queue overflow)" + window +
         ": races in that window may be missed; name clashes were re-checked from disk";
}

}  // namespace

std::unique_ptr<Rule> MakeCoverageGapRule() { return std::make_unique<CoverageGapRule>(); }

}  // namespace modrace

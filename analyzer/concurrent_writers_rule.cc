// SPDX-License-Identifier: GPL-2.0-only
// concurrent_writers (docs/architecture.md, Rules): open/modify/close
// events go to a file's writer trackers (WriteHandles, file_record.h), and
// an overlap they prove becomes a concurrent_writers finding.
//
// With two sources (fanotify beside inotify, the daemon's fanotify
// backend), a file has both trackers: inotify's anonymous events keep the
// order that fanotify loses when it merges a process's queued events, and
// fanotify's names_only events name the processes. Either tracker's proof
// makes the one finding of the file. When only the anonymous tracker
// proved it, the processes fanotify saw writing the file within
// kNameWindowNs of the overlap are named beside it, as the writers seen
// then, whichever stream came first.

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "analyzer/artifact_path.h"
#include "analyzer/duplicate_module_path.h"
#include "analyzer/rule.h"

namespace modrace {

namespace {

constexpr int64_t kNameWindowNs = 1000000000;  // 1 s
constexpr size_t kNamedInMessage = 4;

std::string Who(const ProcessInfo& p) {
  std::string s = "pid " + std::to_string(p.pid);
  if (!p.comm.empty()) s += " (" + p.comm + ")";
  if (!p.cmdline.empty()) {
    s += " `" + (p.cmdline.size() > 80 ? p.cmdline.substr(0, 77) + "..." : p.cmdline) + "`";
  }
  return s;
}

bool SameProcess(const ProcessInfo& a, const ProcessInfo& b) {
  return a.pid == b.pid && a.start_time == b.start_time;
}

// Adds a named writer unless that process is already listed.
bool AddNamedWriter(Finding& f, const NamedWriter& w) {
  for (const auto& have : f.writers) {
    if (have.process && SameProcess(*have.process, *w.process)) return false;
  }
  FindingBook::AddWriter(f, Writer{w.open_seq, w.close_seq, *w.process});
  return true;
}

std::vector<const ProcessInfo*> Named(const Finding& f) {
  std::vector<const ProcessInfo*> named;
  for (const auto& w : f.writers) {
    if (w.process) named.push_back(&*w.process);
  }
  return named;
}

// What the writes of this file mean, by what the file is: the advice
// follows the evidence.
std::string Cause(const std::string& path) {
  switch (ClassifyArtifact(path)) {
    case ArtifactKind::kOldModRecord:
      return "; kbuild keeps one record per module name: two modules named " +
             std::string(ModuleNameOf(path)) + " wrote it (rename one)";
    case ArtifactKind::kNewModRecord:
      return "; one module path is built twice (reached two ways: list it once)";
    default:
      return std::string();
  }
}

constexpr char kSameCommandNote[] = " (both ran the same command: taken as the same bytes twice)";

// The anonymous tracker's message: what inotify proved, then the processes
// fanotify saw writing then, if any.
std::string AnonymousMessage(const Finding& f, const std::string& path) {
  size_t overlaps = 0;
  for (const auto& ev : f.evidence) overlaps += ev.path == path ? 1 : 0;
  std::string m =
      path + " was written by two handles at once" +
      (overlaps > 1 ? " (" + std::to_string(overlaps) + " overlaps)" : std::string()) +
      (f.confidence == Confidence::kLikely ? " (likely: a reader may have been open too)"
                                           : std::string());
  const std::vector<const ProcessInfo*> named = Named(f);
  if (!named.empty()) {
    m += "; fanotify saw it written then by ";
    for (size_t i = 0; i < named.size() && i < kNamedInMessage; ++i) {
      if (i > 0) m += i + 1 == std::min(named.size(), kNamedInMessage) ? " and " : ", ";
      m += Who(*named[i]);
    }
    if (named.size() > kNamedInMessage) {
      m += " (" + std::to_string(named.size() - kNamedInMessage) + " more)";
    }
  }
  if (f.confidence == Confidence::kCertain && f.severity == Severity::kWarning) {
    m += kSameCommandNote;
  }
  return m + Cause(path);
}

class ConcurrentWritersRule : public Rule {
 public:
  Wants wants() const override {
    Wants w;
    w.events = Bit(EventKind::kOpen) | Bit(EventKind::kModify) | Bit(EventKind::kCloseWrite) |
               Bit(EventKind::kCloseNoWrite);
    w.names_only = true;
    return w;
  }
  void OnEvent(EventView& v, RuleContext& ctx) override;
  // The per-file state is in the file records, which the analyzer drops
  // at an overflow and a reset.
  void Reset() override {}

 private:
  void OnPidWriterEvent(const FsEvent& e, WriteHandles& w, RuleContext& ctx);
  void ReportPidConcurrent(const FsEvent& e, const PidOverlap& o, WriteHandles& w,
                           RuleContext& ctx);
  void NameAnonymousOverlap(const FsEvent& e, const PidOverlap& o, WriteHandles& w,
                            RuleContext& ctx);
  void ReportConcurrent(const FsEvent& e, const CloseVerdict& v, OverlapBytes bytes,
                        WriteHandles& w, RuleContext& ctx);
};

void ConcurrentWritersRule::OnEvent(EventView& view, RuleContext& ctx) {
  const FsEvent& e = view.event;
  WriteHandles& w = view.file().handles;
  if (e.process) {
    // A read-only close with no tracker yet closes nothing it knows: most
    // events of a build are such reads of headers.
    if (!w.by_pid && e.kind == EventKind::kCloseNoWrite) return;
    if (!w.by_pid) w.by_pid = std::make_unique<PidWriterTracker>();
    OnPidWriterEvent(e, w, ctx);
    return;
  }
  if (e.kind == EventKind::kModify) return;  // anonymous modifies prove nothing more
  WriterTracker& t = w.anonymous;
  if (e.kind == EventKind::kOpen) {
    t.OnOpen(e.seq);
    return;
  }
  const CloseVerdict v = t.OnClose(e.seq, e.kind == EventKind::kCloseWrite);
  if (v.merged_open) ++ctx.stats.merged_opens;
  if (v.overlap != Overlap::kNone) {
    ReportConcurrent(
        e, v, CompareSnapshots(w.anonymous_snapshots.At(v.previous_close_seq), e.content), w, ctx);
  }
  if (e.kind == EventKind::kCloseWrite) w.anonymous_snapshots.Remember(e.seq, e.content);
}

void ConcurrentWritersRule::OnPidWriterEvent(const FsEvent& e, WriteHandles& w, RuleContext& ctx) {
  PidWriterTracker& t = *w.by_pid;
  switch (e.kind) {
    case EventKind::kOpen:
      t.OnOpen(e.seq, e.time_ns, e.process);
      return;
    case EventKind::kModify:
      t.OnModify(e.seq, e.time_ns, e.process);
      return;
    case EventKind::kCloseNoWrite:
      t.OnCloseNoWrite(*e.process);
      return;
    case EventKind::kCloseWrite: {
      const PidOverlap o = t.OnCloseWrite(e.seq, e.time_ns, e.process, e.content);
      if (o.overlap) {
        ReportPidConcurrent(e, o, w, ctx);
      } else {
        NameAnonymousOverlap(e, o, w, ctx);
      }
      return;
    }
    default:
      return;
  }
}

void ConcurrentWritersRule::NameAnonymousOverlap(const FsEvent& e, const PidOverlap& o,
                                                 WriteHandles& w, RuleContext& ctx) {
  if (w.names_proven || w.anonymous_overlap_ns == 0) return;
  const int64_t apart = e.time_ns - w.anonymous_overlap_ns;
  if (apart > kNameWindowNs || apart < -kNameWindowNs) return;
  Finding* f = ctx.book.Find(FindingKind::kConcurrentWriters, e.path);
  if (f == nullptr) return;
  if (!AddNamedWriter(*f, NamedWriter{o.closer, o.closer_open_seq, e.seq, e.time_ns})) return;
  f->severity = w.verdicts.severity(Named(*f));
  f->message = AnonymousMessage(*f, e.path);
  ctx.book.Touch(*f, e.seq);
}

void ConcurrentWritersRule::ReportPidConcurrent(const FsEvent& e, const PidOverlap& o,
                                                WriteHandles& w, RuleContext& ctx) {
  bool created;
  Finding& f = ctx.book.Upsert(FindingKind::kConcurrentWriters, e.path, e.seq, e.time_ns, &created);
  f.confidence = Confidence::kCertain;
  w.names_proven = true;
  w.verdicts.Add(Confidence::kCertain, o.bytes);
  FindingBook::AddPath(f, e.path);
  FindingBook::AddWriter(f, Writer{o.earlier_open_seq, o.earlier_close_seq, *o.earlier});
  FindingBook::AddWriter(f, Writer{o.closer_open_seq, e.seq, *o.closer});
  f.severity = w.verdicts.severity(Named(f));
  std::string what = e.path + " was open for writing by " + Who(*o.earlier) + " from seq " +
                     std::to_string(o.earlier_open_seq) + " to " +
                     std::to_string(o.earlier_close_seq) + " and by " + Who(*o.closer) +
                     " from seq " + std::to_string(o.closer_open_seq) + " to " +
                     std::to_string(e.seq);
  what += OverlapBytesEvidence(o.bytes);
  FindingBook::AddEvidence(f, Evidence{e.seq, e.path, what, std::nullopt});
  f.message = e.path + " was written at once by " + Who(*o.earlier) + " and " + Who(*o.closer);
  if (!o.closer->ancestors.empty()) {
    f.message += ", children of pid " + std::to_string(o.closer->ancestors.back());
    if (!o.closer->ancestor_cmdlines.empty()) {
      f.message += " `" + o.closer->ancestor_cmdlines.back().substr(0, 120) + "`";
    }
  }
  if (f.severity == Severity::kWarning) f.message += kSameCommandNote;
  f.message += Cause(e.path);
  ctx.links.Link(f, e.path);
  ctx.book.Touch(f, e.seq);
  if (ClassifyArtifact(e.path) == ArtifactKind::kNewModRecord) {
    ReportDuplicate(ctx, NormalizeModulePath(e.path, ctx.root), e, Confidence::kLikely,
                    e.path + " was written by two jobs at once: the module is built twice");
  }
}

void ConcurrentWritersRule::ReportConcurrent(const FsEvent& e, const CloseVerdict& v,
                                             OverlapBytes bytes, WriteHandles& w,
                                             RuleContext& ctx) {
  bool created;
  Finding& f = ctx.book.Upsert(FindingKind::kConcurrentWriters, e.path, e.seq, e.time_ns, &created);
  const Confidence c = v.overlap == Overlap::kCertain ? Confidence::kCertain : Confidence::kLikely;
  if (created) {
    f.confidence = c;
    FindingBook::AddPath(f, e.path);
  } else if (c == Confidence::kCertain) {
    f.confidence = Confidence::kCertain;
  }
  w.verdicts.Add(c, bytes);
  FindingBook::AddWriter(f, Writer{v.previous_open_seq, v.previous_close_seq, std::nullopt});
  FindingBook::AddWriter(f,
                         Writer{v.closer_open_seq, e.seq,
                                e.process ? std::optional<ProcessInfo>(*e.process) : std::nullopt});
  std::string what = "close_write at seq " + std::to_string(e.seq) + " while the handle ";
  if (v.merged_open) {
    what += "(whose IN_OPEN the kernel merged with the one at seq " +
            std::to_string(v.closer_open_seq) + ") ";
  } else {
    what += "opened by seq " + std::to_string(v.closer_open_seq) + " ";
  }
  what += v.overlap == Overlap::kCertain
              ? "was open across the previous writer's close at seq "
              : "may have been open across the previous writer's close at seq ";
  what += std::to_string(v.previous_close_seq);
  what += OverlapBytesEvidence(bytes);
  FindingBook::AddEvidence(f, Evidence{e.seq, e.path, std::move(what), std::nullopt});
  if (c == Confidence::kCertain) w.anonymous_overlap_ns = e.time_ns;
  if (!w.names_proven) {
    // The processes fanotify already saw writing the file around then.
    if (w.by_pid && c == Confidence::kCertain) {
      for (const NamedWriter& nw : w.by_pid->WritersAround(e.time_ns, kNameWindowNs)) {
        AddNamedWriter(f, nw);
      }
    }
  }
  f.severity = w.verdicts.severity(Named(f));
  if (!w.names_proven) f.message = AnonymousMessage(f, e.path);
  ctx.links.Link(f, e.path);
  ctx.book.Touch(f, e.seq);
  // Two jobs writing one module's own record means the module is built twice.
  if (ClassifyArtifact(e.path) == ArtifactKind::kNewModRecord) {
    std::string module_path = NormalizeModulePath(e.path, ctx.root);
    ReportDuplicate(ctx, module_path, e, Confidence::kLikely,
                    e.path + " was written by two jobs at once: the module is built twice");
  }
}

}  // namespace

std::unique_ptr<Rule> MakeConcurrentWritersRule() {
  return std::make_unique<ConcurrentWritersRule>();
}

}  // namespace modrace

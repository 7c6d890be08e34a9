// SPDX-License-Identifier: GPL-2.0-only
// stale_read (docs/architecture.md, Jobs): a job read a file (a read-only
// handle closed) that a different job of the same build then wrote: the
// reader may have used what was about to change (module BTF reading a
// vmlinux relinked later; a .mod read before it is rewritten). make's own
// reads are no job's and never count, nor the writing job's own reads, nor
// reads in another build (another top make), nor a read by a job of the
// writer's own make that had ended before the writer began (make may have
// ordered them: kbuild's genksyms line rewrites the `.o.d` that the compile
// line's fixdep read, docs/kbuild.md), nor a program run (its exec
// reads the file: tools/build runs an existing `fixdep` in every recipe
// while the build relinks it, see RunsFile). Each file keeps the last few
// jobs that read it since its last write; a write reports them and starts
// the list afresh. Reads cost the one lookup of the file's record
// (EventView::file); only a file's first read allocates.

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

#include "analyzer/rule.h"

namespace modrace {

namespace {

constexpr size_t kReadersPerFile = 4;

bool ChangesContent(EventKind kind) {
  return kind == EventKind::kModify || kind == EventKind::kCloseWrite ||
         kind == EventKind::kCreate || kind == EventKind::kMovedTo;
}

// True when the event's process runs the file itself: the first word of
// its command line names `path` (the tree-relative path, or an absolute or
// relative spelling ending in "/path"; "//" counts as "/").
bool RunsFile(const FsEvent& e) {
  if (!e.process) return false;
  // Cheap first (reads are most events): comm is the program's base name,
  // cut to 15 bytes by the kernel.
  const std::string_view base = std::string_view(e.path).substr(e.path.rfind('/') + 1);
  const std::string& comm = e.process->comm;
  if (comm.empty() || base.compare(0, comm.size(), comm) != 0) return false;
  const std::string& cmd = e.process->cmdline;
  std::string program;
  for (char c : cmd.substr(0, cmd.find(' '))) {
    if (c == '/' && !program.empty() && program.back() == '/') continue;
    program.push_back(c);
  }
  const std::string& path = e.path;
  if (program == path) return true;
  return program.size() > path.size() && program[program.size() - path.size() - 1] == '/' &&
         program.compare(program.size() - path.size(), path.size(), path) == 0;
}

class StaleReadRule : public Rule {
 public:
  Wants wants() const override { return JobEventsOnly(); }
  void OnJob(EventView& v, const Job& job, bool writes, RuleContext& ctx) override {
    if (v.event.kind == EventKind::kCloseNoWrite) {
      OnJobRead(v, job);
    } else if (writes) {
      CheckStale(v, job, ctx);
    }
  }
  // The readers are in the file records, which the analyzer drops at an
  // overflow and a reset.
  void Reset() override {}

 private:
  void OnJobRead(EventView& v, const Job& job);
  void CheckStale(EventView& v, const Job& writer, RuleContext& ctx);
};

void StaleReadRule::OnJobRead(EventView& v, const Job& job) {
  const FsEvent& e = v.event;
  if (RunsFile(e)) return;
  std::vector<std::pair<uint64_t, uint64_t>>& readers = v.file().readers;
  for (const auto& seen : readers) {
    if (seen.first == job.id) return;
  }
  if (readers.size() >= kReadersPerFile) readers.erase(readers.begin());
  readers.emplace_back(job.id, e.seq);
}

void StaleReadRule::CheckStale(EventView& v, const Job& writer, RuleContext& ctx) {
  const FsEvent& e = v.event;
  if (!ChangesContent(e.kind)) return;
  std::vector<std::pair<uint64_t, uint64_t>> readers;
  readers.swap(v.file().readers);
  if (readers.empty()) return;
  for (const auto& [reader_id, read_seq] : readers) {
    const Job* reader = ctx.jobs.Get(reader_id);
    if (reader == nullptr || reader->id == writer.id || !reader->SameTopMake(writer)) continue;
    // Jobs of one make run one after the other may be ordered (a
    // prerequisite, or two lines of one recipe), as for write_hazard.
    if (reader->SameMake(writer) && !JobTable::RanAtOnce(*reader, writer)) continue;
    bool created;
    Finding& f = ctx.book.Upsert(FindingKind::kStaleRead, e.path, e.seq, e.time_ns, &created);
    f.severity = Severity::kWarning;
    f.confidence = Confidence::kCertain;
    FindingBook::AddPath(f, e.path);
    ctx.links.AddJob(f, *reader);
    ctx.links.AddJob(f, writer);
    FindingBook::AddEvidence(
        f, Evidence{e.seq, e.path,
                    "job " + std::to_string(reader->id) + " " + reader->Quoted() +
                        " read it (seq " + std::to_string(read_seq) + ") before job " +
                        std::to_string(writer.id) + " " + writer.Quoted() + " wrote it",
                    std::nullopt});
    f.message = e.path + " was read by " + reader->Quoted() + " before " + writer.Quoted() +
                " wrote it in the same build: the reader may have used old content";
    ctx.book.Touch(f, e.seq);
  }
}

}  // namespace

std::unique_ptr<Rule> MakeStaleReadRule() { return std::make_unique<StaleReadRule>(); }

}  // namespace modrace

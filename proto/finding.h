// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_PROTO_FINDING_H_
#define MODRACE_PROTO_FINDING_H_

// Finding: one problem the analyzer found, with how sure it is and why.
// A finding grows as evidence arrives (a third `foo` path extends the `foo`
// collision) instead of being repeated; `revision` counts its changes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "proto/finding_kind.h"
#include "proto/fs_event.h"
#include "proto/gap_cause.h"

namespace modrace {

enum class Confidence { kLikely, kCertain };

std::string_view SeverityName(Severity s);
std::optional<Severity> ParseSeverity(std::string_view name);
std::string_view ConfidenceName(Confidence c);
std::optional<Confidence> ParseConfidence(std::string_view name);

// One fact behind a finding: an event (by seq) or a file content.
struct Evidence {
  uint64_t seq = 0;
  std::string path;
  std::string what;  // a sentence: "close_write while another write handle was open"
  std::optional<std::string> content;  // excerpt of the file as read at seq
};

// An evidence excerpt keeps at most this many bytes of a file's content,
// whichever way the finding was made (live, replay or audit).
inline constexpr size_t kEvidenceExcerptBytes = 512;
// The first kEvidenceExcerptBytes of `content`.
std::string EvidenceExcerpt(std::string_view content);

// A writer of a file. With inotify only the seqs are known; fanotify adds
// the process.
struct Writer {
  uint64_t open_seq = 0;   // 0 when the open was not seen (merged event)
  uint64_t close_seq = 0;
  std::optional<ProcessInfo> process;  // without its chain: the job says it
  uint64_t job = 0;                    // the writer's job id (Finding::jobs), 0: none
};

// A job (fanotify only): the process tree of one make recipe. A finding
// carries the jobs it rests on with a shortened recipe; the report holds
// each job once with its whole (capped) recipe and its make's directory.
struct JobRef {
  uint64_t id = 0;
  std::string short_name;  // kbuild's quiet line, else the recipe's first command
  std::string recipe;      // the recipe's command line
  std::vector<int32_t> pids;
  int32_t make_pid = 0;
  std::string make;      // how that make was called: "obj=drivers/net", "-C dir"
  std::string make_dir;  // its working directory (the report's table only)
};

// A Kbuild/Makefile line that builds a finding's module, from the source
// model of client/audit.h (`Kbuild:1: obj-m += sub/ sub/x.o`).
struct SourceLine {
  std::string file;  // relative to the tree: "Kbuild", "drivers/net/usb/Makefile"
  int line = 0;
  std::string text;  // the logical line, continuation lines joined
};

// A finding `modrace run` predicted from the tree's .config before the
// build (client/run_prediction.h). `confirmed`: the build wrote it (the
// finding is the live one, certain); `unconfirmed`: it never did, and
// `note` says why (the finding stays likely).
struct Prediction {
  bool confirmed = false;
  std::string note;
};

struct Finding {
  uint64_t id = 0;        // stable within one daemon run, from 1
  uint64_t revision = 0;  // bumped at every change; the report store's cursor
  FindingKind kind = FindingKind::kCoverageGap;
  Severity severity = Severity::kError;
  Confidence confidence = Confidence::kCertain;
  std::optional<std::string> module;  // module name, where one applies
  std::vector<std::string> paths;     // module paths or files, in order seen
  std::vector<Writer> writers;
  std::vector<JobRef> jobs;  // the jobs whose writes it rests on (fanotify)
  std::vector<Evidence> evidence;
  std::vector<GapCause> gap_causes;  // a coverage_gap's causes, each once, in order seen
  std::vector<SourceLine> sources;    // the lines that build its module (run only)
  std::optional<Prediction> prediction;  // predicted before the build (run only)
  std::string message;                // one line a person reads first
  uint64_t first_seq = 0;
  uint64_t last_seq = 0;
  int64_t first_time_ns = 0;
  // The id of the headline finding of this one's cause (its own id when it
  // shares a cause with no other; analyzer/finding_causes.h). 0: not
  // assigned (the analyzer's live findings, a report older than causes).
  uint64_t cause = 0;
};

void to_json(nlohmann::json& j, const Evidence& e);
void from_json(const nlohmann::json& j, Evidence& e);
void to_json(nlohmann::json& j, const Writer& w);
void from_json(const nlohmann::json& j, Writer& w);
void to_json(nlohmann::json& j, const JobRef& r);
void from_json(const nlohmann::json& j, JobRef& r);
void to_json(nlohmann::json& j, const SourceLine& s);
void from_json(const nlohmann::json& j, SourceLine& s);
void to_json(nlohmann::json& j, const Finding& f);
void from_json(const nlohmann::json& j, Finding& f);

}  // namespace modrace

#endif  // MODRACE_PROTO_FINDING_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_PROTO_FS_EVENT_H_
#define MODRACE_PROTO_FS_EVENT_H_

// FsEvent: what an event source saw, in the analyzer's terms. The daemon's
// sources produce them, `--record` writes them one JSON line each, and
// `modrace replay` and the scenario tests read them back.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "proto/gap_cause.h"

namespace modrace {

enum class EventKind {
  kOpen,          // a handle was opened; inotify does not say read or write
  kModify,        // data written (O_TRUNC also gives one)
  kCloseWrite,    // a handle opened for writing was closed
  kCloseNoWrite,  // a read-only handle was closed
  kCreate,
  kDelete,
  kMovedFrom,
  kMovedTo,
  kExisting,      // found on disk by a scan (new directory, rescan, start-up)
  kOverflow,      // the kernel queue overflowed: events were lost
  kUnwatched,     // a directory could not be watched (path, detail says why)
  kUnreadable,    // a file's content could not be read (path, detail)
  kRescanDone,    // a rescan after an overflow finished
};

std::string_view EventKindName(EventKind kind);
std::optional<EventKind> ParseEventKind(std::string_view name);

// The process behind an event, known only with fanotify. The chain stops
// at the build (docs/architecture.md, Jobs): at the nearest make, or at
// the command `modrace run` started; nothing above it is ever recorded.
struct ProcessInfo {
  int32_t pid = 0;
  uint64_t start_time = 0;  // /proc/PID/stat field 22: tells reused pids apart
  std::string comm;
  std::string cmdline;             // NUL separators turned into spaces
  std::vector<int32_t> ancestors;  // parent, grandparent, ... up to the nearest make
  std::vector<std::string> ancestor_cmdlines;
  // The job: the process tree rooted at a child of a make (the recipe's
  // shell). job_pid 0: no job (a make itself, or no make above it).
  int32_t job_pid = 0;
  uint64_t job_start_time = 0;
  uint64_t make_start_time = 0;  // the nearest make, ancestors.back()
  std::string make_dir;          // its working directory
  // The outermost make of the build above this process (itself for a top
  // make); 0 when none.
  int32_t top_make_pid = 0;
  uint64_t top_make_start_time = 0;
};

// Events share the process record the daemon's table holds: one event's
// process is a pointer copy, not a copy of its command lines.
using ProcessRef = std::shared_ptr<const ProcessInfo>;

struct FsEvent {
  uint64_t seq = 0;     // strictly increasing within one daemon run
  int64_t time_ns = 0;  // CLOCK_REALTIME at the source, nanoseconds
  EventKind kind = EventKind::kOpen;
  std::string path;     // relative to the watched root, '/'-separated
  bool is_dir = false;
  ProcessRef process;  // fanotify only; null otherwise
  // File content read right after this event (close-write, moved-to,
  // existing) for kbuild artifacts. It may already hold a later writer's
  // bytes: that is evidence too.
  std::optional<std::string> content;
  bool content_truncated = false;  // the file was larger than the read limit
  std::string detail;              // for kOverflow/kUnwatched/kUnreadable
  // For kUnwatched: why (the watch limit, the root gone, another reason).
  // Absent in recordings made before it was recorded.
  std::optional<GapCause> cause;
  // With both sources (fanotify beside inotify): a fanotify event that only
  // names processes. inotify's events drive the rules that need the order
  // of opens and closes; these feed the per-process writer tracker, name the
  // processes in its findings and give the job rules (write_hazard,
  // stale_read) their jobs (docs/architecture.md, fanotify beside inotify).
  bool names_only = false;
};

// Recordings (`--record`) name each process once: the first event of a
// process, as it is then, carries it whole with an "id"; later events of
// the same process carry "process_id" alone. A changed process (an exec:
// new comm or command line) is written whole again under a new id.
class ProcessRefWriter {
 public:
  // Puts `p` into the event object `j` (see above).
  void Put(nlohmann::json& j, const ProcessInfo& p);

 private:
  struct Seen {
    uint64_t id = 0;
    size_t hash = 0;  // of what the process is: comm, cmdline, chain, job
  };
  std::unordered_map<uint64_t, Seen> seen_;  // by pid and start time
  uint64_t next_id_ = 1;
};

// Reads a recording line by line, resolving "process_id" to the process
// an earlier line defined. Lines without references parse as with
// ParseEventLine.
class EventLineReader {
 public:
  bool Parse(std::string_view line, FsEvent* event, std::string* error);

 private:
  std::unordered_map<uint64_t, ProcessRef> processes_;
};

// The event as JSON, without its process when !with_process.
nlohmann::json EventJson(const FsEvent& e, bool with_process);

void to_json(nlohmann::json& j, const ProcessInfo& p);
void from_json(const nlohmann::json& j, ProcessInfo& p);
void to_json(nlohmann::json& j, const FsEvent& e);
void from_json(const nlohmann::json& j, FsEvent& e);

// Parses one recorded line. Returns false with *error set on bad input;
// never throws. A "process_id" reference is left unresolved (no process):
// EventLineReader resolves it.
bool ParseEventLine(std::string_view line, FsEvent* event, std::string* error);

}  // namespace modrace

#endif  // MODRACE_PROTO_FS_EVENT_H_

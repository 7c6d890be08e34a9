// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_DAEMON_H_
#define MODRACE_DAEMON_DAEMON_H_

// Daemon: modraced's parts wired on one libuv loop (docs/architecture.md, Data
// flow): the event source feeds the report store (and the record file),
// the store feeds the socket server's subscribers and the report file; the
// command table answers clients; SIGTERM/SIGINT flush and stop.
//
// Ready means: the socket listens and every watch is in place. Only then
// does Start() return (and write the ready line to ready_fd).
//
// The watched root removed or moved away (the source's own event, or, as a
// backstop for a root some process holds open and for fanotify's mount
// mode, the root missing from its path on two checks 400 ms apart): a
// coverage_gap says so and that the report is final, the report file is
// written once more, and the daemon stops with kDaemonOk.
//
// A report file that cannot be written (a full disk) leaves the last whole
// one in place: the error goes to stderr and to status' report_error, and
// the write is retried every second until it succeeds, which clears it.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <uv.h>

#include "daemon/barrier.h"
#include "daemon/command_table.h"
#include "daemon/event_recorder.h"
#include "daemon/event_source.h"
#include "daemon/report_store.h"
#include "daemon/socket_server.h"

namespace modrace {

// modraced's exit codes. kDaemonOk also after the watched root went away
// (the report file then holds the final report, which says so).
inline constexpr int kDaemonOk = 0;
inline constexpr int kDaemonUsage = 2;
inline constexpr int kDaemonCannotWatch = 3;

struct DaemonOptions {
  std::string root;         // any spelling; resolved with realpath
  std::string socket_path;  // empty: SocketPathForTree(root)
  std::string backend = "auto";
  std::string report_path;  // empty: no report file
  std::string record_path;  // empty: no record
  int ready_fd = -1;
  // The pid whose children are the build (ProcessTableOptions::build_parent).
  int32_t build_parent = 0;
  // A new finding reaches the report file within this many ms.
  uint64_t report_delay_ms = 200;
  ServerLimits limits;
  // Test hook for the inotify source (see InotifyOptions::add_watch).
  std::function<int(int fd, const char* path, uint32_t mask)> add_watch;
};

class Daemon : public CommandServices {
 public:
  Daemon(uv_loop_t* loop, DaemonOptions options);
  ~Daemon() override;

  // Returns kDaemonOk once ready, else an exit code with *error.
  int Start(std::string* error);
  // Flushes the report and record, closes every handle; the loop then
  // ends. Idempotent.
  void Stop();

  const std::string& socket_path() const { return socket_path_; }
  const std::string& root() const { return root_; }

  // CommandServices.
  ReportStore& store() override { return *store_; }
  nlohmann::json Status() override;
  void Subscribe(uint64_t client, uint64_t cursor) override;
  void Barrier(uint64_t timeout_ms,
               std::function<void(bool ok, const std::string& error)> done) override;
  void Reset() override;
  void Shutdown() override;

 private:
  // Builds the inotify source, or the fanotify one that names writers.
  std::unique_ptr<EventSource> MakeSource(const std::string& backend);
  // Picks and starts the sources (auto: fanotify beside inotify when
  // fanotify is permitted, else inotify alone), recording which and why in
  // the store.
  int StartSource(std::string* error);
  void OnEvent(FsEvent&& event);
  void OnBatch();
  void Publish();
  void ScheduleReport();
  void ScheduleReportIn(uint64_t delay_ms);
  void WriteReport();
  void FlushRecord();
  void Tick();
  // The root went away (`why`): a last coverage gap, then Stop.
  void OnRootGone(const std::string& why);
  // The backstop for OnRootGone: is the root still at its path?
  void CheckRoot();
  bool IsOwnFile(const std::string& path) const;
  // names_source_'s events: writer events marked names_only, overflows and
  // rescans passed on, everything else dropped.
  void OnNamesEvent(FsEvent&& event);

  uv_loop_t* loop_;
  DaemonOptions options_;
  std::string root_;
  std::string socket_path_;
  std::string backend_reason_;
  std::string own_report_;  // --report/--record relative to the root, if inside
  std::string own_record_;
  std::unique_ptr<ReportStore> store_;
  // The source of order: inotify, always. With the fanotify backend,
  // names_source_ is fanotify beside it: its open/modify/close events go
  // to the analyzer as names_only (they name the writers); the rest of its
  // stream is dropped, since inotify reports the tree. fanotify alone would
  // lose overlaps whenever the kernel merges a process's queued events
  // (docs/architecture.md, fanotify beside inotify).
  std::unique_ptr<EventSource> source_;
  std::unique_ptr<EventSource> names_source_;
  std::unique_ptr<SocketServer> server_;
  std::unique_ptr<Barriers> barriers_;
  EventRecorder recorder_;
  uv_timer_t* report_timer_ = nullptr;
  uv_timer_t* tick_timer_ = nullptr;
  uv_signal_t* sigterm_ = nullptr;
  uv_signal_t* sigint_ = nullptr;
  uint64_t seq_ = 0;
  bool findings_changed_ = false;
  bool report_pending_ = false;
  bool stopped_ = false;
  uint64_t reports_written_ = 0;
  std::string last_report_error_;
  std::string root_gone_;  // why the root went away; empty while it is there
  uint64_t root_dev_ = 0;
  uint64_t root_ino_ = 0;
  uint64_t root_missing_since_ms_ = 0;  // loop time; 0: seen at its path
  std::map<uint64_t, uint64_t> subscribers_;  // client -> revision sent up to
  int64_t started_ns_ = 0;
};

// Runs modraced to the end on its own loop: Start, the loop, a clean close.
// Prints the socket path on stdout once ready. Returns the exit code.
int RunDaemon(const DaemonOptions& options);

}  // namespace modrace

#endif  // MODRACE_DAEMON_DAEMON_H_

// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/daemon.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <utility>
#include <vector>

#include "analyzer/artifact_path.h"
#include "common/clock.h"
#include "common/atomic_file.h"
#include "daemon/backend_reason.h"
#include "daemon/fanotify_source.h"
#include "daemon/inotify_source.h"
#include "daemon/source_util.h"
#include "common/socket_path.h"
#include "proto/bytes_json.h"

namespace modrace {

namespace {

// A report file that could not be written is tried again this often.
constexpr uint64_t kReportRetryMs = 1000;
// The root must be missing from its path this long before the backstop
// acts: the source's own event, which comes after everything queued before
// it, normally ends the daemon first.
constexpr uint64_t kRootGraceMs = 400;

template <typename T>
void CloseAndDelete(T*& handle) {
  if (handle == nullptr) return;
  uv_close(reinterpret_cast<uv_handle_t*>(handle),
           [](uv_handle_t* h) { delete reinterpret_cast<T*>(h); });
  handle = nullptr;
}

// `path` relative to `root` when it lies inside it, else "".
std::string RelativeInside(const std::string& root, const std::string& path) {
  if (path.empty()) return "";
  std::string abs = path;
  if (abs[0] != '/') {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) == nullptr) return "";
    abs = std::string(cwd) + "/" + abs;
  }
  // Resolve the directory part (the file itself may not exist yet).
  const size_t slash = abs.rfind('/');
  std::string dir = abs.substr(0, slash);
  char real[PATH_MAX];
  if (realpath(dir.empty() ? "/" : dir.c_str(), real) == nullptr) return "";
  abs = std::string(real) + abs.substr(slash);
  std::string rel;
  return RelativeTo(root, abs, &rel) ? rel : "";
}

}  // namespace

Daemon::Daemon(uv_loop_t* loop, DaemonOptions options)
    : loop_(loop), options_(std::move(options)) {}

Daemon::~Daemon() { Stop(); }

std::unique_ptr<EventSource> Daemon::MakeSource(const std::string& backend) {
  auto sink = [this](FsEvent&& e) { OnEvent(std::move(e)); };
  auto batch = [this] { OnBatch(); };
  auto wants = [](std::string_view path) { return WantsContent(path); };
  auto root_gone = [this](const std::string& why) { OnRootGone(why); };
  if (backend == "fanotify") {
    FanotifyOptions fo;
    fo.root = root_;
    // It only names writers (OnNamesEvent): inotify's events carry the
    // content, so this source reads none.
    // The daemon's own writes are dropped, but its barrier markers must
    // come through or no barrier would ever complete.
    fo.keep_own_event = [](std::string_view path) { return IsBarrierMarker(path); };
    // A filesystem mark sees every write on the filesystem, not just the
    // tree's; a bounded queue would overflow with unrelated activity.
    fo.unlimited_queue = true;
    // Its scans and its reads' opens would all be dropped (OnNamesEvent;
    // a reader's close names it): never made.
    fo.scan_reports = [](std::string_view) { return false; };
    fo.whole_read_as_close = true;
    fo.on_root_gone = root_gone;
    fo.process_table.build_parent = options_.build_parent;
    auto names = [this](FsEvent&& e) { OnNamesEvent(std::move(e)); };
    return std::make_unique<FanotifySource>(loop_, std::move(fo), names, batch);
  }
  InotifyOptions io;
  io.root = root_;
  io.wants_content = wants;
  io.add_watch = options_.add_watch;
  io.on_root_gone = root_gone;
  // The artifacts are all the analyzer reads of a scan (analyzer/analyzer.cc:
  // `existing` goes to the artifact rules alone), at start-up, in a new
  // directory and after lost events, when it rebuilds its module index.
  io.scan_reports = [](std::string_view path) {
    return ClassifyArtifact(path) != ArtifactKind::kOther;
  };
  return std::make_unique<InotifySource>(loop_, std::move(io), sink, batch);
}

int Daemon::StartSource(std::string* error) {
  BackendChoice choice;
  choice.requested = options_.backend;
  choice.fanotify_tried = options_.backend == "fanotify";
  if (options_.backend == "auto") {
    choice.fanotify_tried = FanotifySource::Available(&choice.unavailable_why);
  }
  if (choice.fanotify_tried) {
    names_source_ = MakeSource("fanotify");
    std::string start_error;
    if (names_source_->Start(&start_error)) {
      barriers_->set_two_sources(true);
      choice.fanotify_mode = static_cast<FanotifySource*>(names_source_.get())->mode_reason();
    } else {
      names_source_->Close();
      names_source_.reset();
      if (options_.backend == "fanotify") {
        *error = start_error;
        return kDaemonCannotWatch;
      }
      // Events may have reached the store during the failed start: begin
      // again from a clean analysis.
      store_->Reset();
      choice.start_error = start_error;
    }
  }
  source_ = MakeSource("inotify");
  if (!source_->Start(error)) return kDaemonCannotWatch;
  const std::string reason = BackendReason(choice);
  store_->set_backend(names_source_ ? "fanotify" : "inotify", reason);
  backend_reason_ = reason;
  return kDaemonOk;
}

int Daemon::Start(std::string* error) {
  started_ns_ = NowNs();
  char* real = realpath(options_.root.c_str(), nullptr);
  if (real == nullptr) {
    *error = "--root " + options_.root + ": " + strerror(errno);
    return kDaemonUsage;
  }
  root_ = real;
  free(real);
  struct stat st;
  if (stat(root_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *error = "--root " + root_ + " is not a directory";
    return kDaemonUsage;
  }
  root_dev_ = st.st_dev;
  root_ino_ = st.st_ino;
  if (options_.backend != "auto" && options_.backend != "inotify" &&
      options_.backend != "fanotify") {
    *error = "--backend must be auto, inotify or fanotify, not '" + options_.backend + "'";
    return kDaemonUsage;
  }
  own_report_ = RelativeInside(root_, options_.report_path);
  own_record_ = RelativeInside(root_, options_.record_path);

  socket_path_ = options_.socket_path;
  if (socket_path_.empty()) {
    if (!EnsurePrivateDir(SocketDir(), error)) return kDaemonCannotWatch;
    if (!SocketPathForTree(root_, &socket_path_, error)) return kDaemonUsage;
  }
  if (!options_.record_path.empty() && !recorder_.Open(options_.record_path, error)) {
    return kDaemonUsage;
  }
  store_ = std::make_unique<ReportStore>(root_, options_.backend, backend_reason_);
  barriers_ = std::make_unique<Barriers>(root_);
  server_ = std::make_unique<SocketServer>(
      loop_, options_.limits,
      [this](uint64_t client, std::string_view line) {
        HandleRequestLine(*this, client, line, [this, client](const Reply& reply) {
          if (server_) server_->Send(client, DumpLine(ReplyToJson(reply)));
        });
      },
      [this](uint64_t client) { subscribers_.erase(client); });
  if (!server_->Listen(socket_path_, error)) return kDaemonCannotWatch;

  if (int rc = StartSource(error); rc != kDaemonOk) return rc;

  report_timer_ = new uv_timer_t;
  uv_timer_init(loop_, report_timer_);
  report_timer_->data = this;
  tick_timer_ = new uv_timer_t;
  uv_timer_init(loop_, tick_timer_);
  tick_timer_->data = this;
  uv_timer_start(
      tick_timer_, [](uv_timer_t* t) { static_cast<Daemon*>(t->data)->Tick(); }, 250, 250);
  uv_unref(reinterpret_cast<uv_handle_t*>(tick_timer_));
  for (uv_signal_t** sig : {&sigterm_, &sigint_}) {
    *sig = new uv_signal_t;
    uv_signal_init(loop_, *sig);
    (*sig)->data = this;
    uv_signal_start(
        *sig, [](uv_signal_t* s, int) { static_cast<Daemon*>(s->data)->Stop(); },
        sig == &sigterm_ ? SIGTERM : SIGINT);
  }

  OnBatch();  // the start-up scan: record, publish
  if (!options_.report_path.empty()) {
    WriteReport();
    if (!last_report_error_.empty()) {
      *error = last_report_error_;
      return kDaemonUsage;
    }
  }
  if (options_.ready_fd >= 0) {
    const std::string line = "ready " + socket_path_ + "\n";
    ssize_t ignored = write(options_.ready_fd, line.data(), line.size());
    (void)ignored;
    close(options_.ready_fd);
    options_.ready_fd = -1;
  }
  return kDaemonOk;
}

bool Daemon::IsOwnFile(const std::string& path) const {
  if (!own_record_.empty() && path == own_record_) return true;
  if (!own_report_.empty() &&
      (path == own_report_ || path.compare(0, own_report_.size() + 5, own_report_ + ".tmp-") == 0)) {
    return true;
  }
  return false;
}

void Daemon::OnEvent(FsEvent&& event) {
  if (IsBarrierMarker(event.path)) {
    barriers_->OnMarkerEvent(event);
    return;
  }
  // Our own report and record files would feed back into themselves.
  if (IsOwnFile(event.path)) return;
  event.seq = ++seq_;
  recorder_.Append(event);
  if (store_->Consume(event)) findings_changed_ = true;
  if (event.kind == EventKind::kRescanDone) {
    FlushRecord();
    barriers_->OnRescanDone();
  }
}

void Daemon::OnNamesEvent(FsEvent&& event) {
  switch (event.kind) {
    case EventKind::kOpen:
    case EventKind::kModify:
    case EventKind::kCloseWrite:
    case EventKind::kCloseNoWrite:
      if (event.is_dir) return;
      event.names_only = true;
      OnEvent(std::move(event));
      return;
    case EventKind::kCreate:
    case EventKind::kDelete:
    case EventKind::kMovedFrom:
    case EventKind::kMovedTo:
      // A file made, renamed or removed by a process: its job wrote it
      // (analyzer/write_hazard_rule.cc). The tree itself stays inotify's.
      if (event.is_dir || !event.process) return;
      event.names_only = true;
      OnEvent(std::move(event));
      return;
    case EventKind::kOverflow:   // lost events are a gap, whichever side
    case EventKind::kRescanDone:
      OnEvent(std::move(event));
      return;
    default:
      return;  // the tree itself (creates, deletes, moves, scans): inotify's
  }
}

void Daemon::OnBatch() {
  FlushRecord();
  store_->set_watched_dirs(source_->watched_dirs());
  if (findings_changed_) {
    findings_changed_ = false;
    Publish();
    ScheduleReport();
  }
}

void Daemon::FlushRecord() {
  std::string error;
  if (!recorder_.Flush(&error)) fprintf(stderr, "modraced: %s\n", error.c_str());
}

void Daemon::Publish() {
  std::vector<uint64_t> dropped;
  for (auto& [client, cursor] : subscribers_) {
    for (const Finding& f : store_->FindingsSince(cursor)) {
      const std::string line = DumpLine({{"event", "finding"}, {"finding", f}});
      if (!server_->SendStream(client, line)) {
        dropped.push_back(client);
        break;
      }
    }
    cursor = store_->revision();
  }
  for (uint64_t c : dropped) subscribers_.erase(c);
}

void Daemon::ScheduleReport() { ScheduleReportIn(options_.report_delay_ms); }

void Daemon::ScheduleReportIn(uint64_t delay_ms) {
  if (options_.report_path.empty() || report_pending_ || report_timer_ == nullptr || stopped_) {
    return;
  }
  report_pending_ = true;
  uv_timer_start(
      report_timer_,
      [](uv_timer_t* t) {
        auto* self = static_cast<Daemon*>(t->data);
        self->report_pending_ = false;
        self->WriteReport();
      },
      delay_ms, 0);
}

void Daemon::WriteReport() {
  if (options_.report_path.empty() || !store_) return;
  store_->set_watched_dirs(source_ ? source_->watched_dirs() : 0);
  nlohmann::json j = store_->MakeReport();
  std::string text = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::string error;
  if (WriteFileAtomically(options_.report_path, text, &error)) {
    ++reports_written_;
    if (!last_report_error_.empty()) {
      fprintf(stderr, "modraced: report: %s written again\n", options_.report_path.c_str());
    }
    last_report_error_.clear();
  } else {
    if (error != last_report_error_) {
      fprintf(stderr, "modraced: report: %s (the last whole report stays; retrying)\n",
              error.c_str());
    }
    last_report_error_ = error;
    // Space comes back without a new finding to trigger a write: retry, so
    // the file catches up and the error clears.
    ScheduleReportIn(kReportRetryMs);
  }
}

void Daemon::Tick() {
  if (barriers_) barriers_->Expire(uv_now(loop_));
  CheckRoot();
}

void Daemon::CheckRoot() {
  if (stopped_ || !root_gone_.empty()) return;
  struct stat st;
  if (stat(root_.c_str(), &st) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) return;  // not evidence either way
  } else if (S_ISDIR(st.st_mode) && st.st_dev == root_dev_ && st.st_ino == root_ino_) {
    root_missing_since_ms_ = 0;
    return;
  }
  const uint64_t now = uv_now(loop_) + 1;  // never 0
  if (root_missing_since_ms_ == 0) {
    root_missing_since_ms_ = now;
    return;
  }
  if (now - root_missing_since_ms_ < kRootGraceMs) return;
  OnRootGone("the watched root " + root_ + " is no longer at its path (removed, moved away or "
             "mounted over)");
}

void Daemon::OnRootGone(const std::string& why) {
  if (stopped_ || !root_gone_.empty()) return;
  root_gone_ = why;
  fprintf(stderr, "modraced: %s: writing the final report and exiting\n", why.c_str());
  // The report says it, as a coverage gap: nothing after this was seen.
  FsEvent e;
  e.time_ns = NowNs();
  e.kind = EventKind::kUnwatched;
  e.path = ".";
  e.is_dir = true;
  e.detail = why + "; modraced stopped watching and this report is final";
  e.cause = GapCause::kRootGone;
  OnEvent(std::move(e));
  OnBatch();
  // Stop on the next loop turn: this may run inside the source's read.
  Shutdown();
}

nlohmann::json Daemon::Status() {
  const Report r = store_->MakeReport();
  nlohmann::json status = {{"tree", root_},
          {"backend", store_->backend()},
          {"backend_reason", backend_reason_},
          {"pid", getpid()},
          {"socket", socket_path_},
          // Nonzero: the `modrace run` or `repro` this daemon is private to.
          {"build_parent", options_.build_parent},
          {"ready", true},
          {"watched_dirs", source_->watched_dirs()},
          {"unwatched_dirs", source_->unwatched_dirs()},
          {"overflows", source_->overflows() + (names_source_ ? names_source_->overflows() : 0)},
          {"events", store_->events()},
          {"findings", store_->finding_count()},
          {"revision", store_->revision()},
          {"complete", r.complete},
          {"coverage", r.coverage},
          {"clients", server_->clients()},
          {"refused_clients", server_->refused_over_limit()},
          {"rejected_peers", server_->rejected_peers()},
          {"subscribers", subscribers_.size()},
          {"pending_barriers", barriers_->pending()},
          {"report_file", options_.report_path},
          {"reports_written", reports_written_},
          {"report_error", last_report_error_},
          {"record_file", options_.record_path},
          {"uptime_ms", (NowNs() - started_ns_) / 1000000}};
  if (names_source_) {
    // The filesystem mark's traffic from outside the tree (daemon/fanotify_source.h).
    const auto* names = static_cast<const FanotifySource*>(names_source_.get());
    status["fanotify"] = {{"dropped_outside", names->dropped_outside()},
                          {"dropped_own", names->dropped_own()},
                          {"dropped_ahead", names->dropped_ahead()},
                          {"ignoring_outside", names->ignoring_outside()},
                          {"ignore_marks", names->ignore_marks()},
                          {"ignore_mark_errors", names->ignore_mark_errors()},
                          {"ignore_marks_removed", names->ignore_marks_removed()},
                          {"unnamed_processes", names->processes().unnamed()}};
  }
  return status;
}

void Daemon::Subscribe(uint64_t client, uint64_t cursor) {
  subscribers_[client] = cursor;
  // Catch this one subscriber up now; the others are current already.
  for (const Finding& f : store_->FindingsSince(cursor)) {
    if (!server_->SendStream(client, DumpLine({{"event", "finding"}, {"finding", f}}))) {
      subscribers_.erase(client);
      return;
    }
  }
  subscribers_[client] = store_->revision();
}

void Daemon::Barrier(uint64_t timeout_ms,
                     std::function<void(bool ok, const std::string& error)> done) {
  std::string error;
  auto wrapped = [this, done](bool ok, const std::string& why) {
    FlushRecord();
    done(ok, why);
  };
  if (stopped_ ||
      !barriers_->Start(uv_now(loop_) + timeout_ms, std::move(wrapped), &error)) {
    done(false, stopped_ ? "daemon shutting down" : error);
  }
}

void Daemon::Reset() {
  store_->Reset();
  // What still cannot be watched is still a gap: say so again.
  source_->ReemitUnwatched();
  OnBatch();
  ScheduleReport();
}

void Daemon::Shutdown() {
  // Stop on the next loop turn, after the reply has gone out.
  auto* later = new uv_timer_t;
  uv_timer_init(loop_, later);
  later->data = this;
  uv_timer_start(
      later,
      [](uv_timer_t* t) {
        static_cast<Daemon*>(t->data)->Stop();
        uv_close(reinterpret_cast<uv_handle_t*>(t),
                 [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
      },
      0, 0);
}

void Daemon::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (barriers_) {
    barriers_->FailAll(root_gone_.empty() ? "daemon shutting down"
                                          : "daemon shutting down: " + root_gone_);
  }
  if (source_) source_->Close();
  if (names_source_) names_source_->Close();
  if (store_) WriteReport();
  recorder_.Close();
  if (server_) server_->Close();
  if (report_timer_) uv_timer_stop(report_timer_);
  CloseAndDelete(report_timer_);
  CloseAndDelete(tick_timer_);
  CloseAndDelete(sigterm_);
  CloseAndDelete(sigint_);
}

int RunDaemon(const DaemonOptions& options) {
  signal(SIGPIPE, SIG_IGN);  // a vanished client is an error code, not a death
  uv_loop_t loop;
  uv_loop_init(&loop);
  int rc;
  {
    Daemon daemon(&loop, options);
    std::string error;
    rc = daemon.Start(&error);
    if (rc != kDaemonOk) {
      fprintf(stderr, "modraced: %s\n", error.c_str());
    } else {
      printf("%s\n", daemon.socket_path().c_str());
      fflush(stdout);
      const nlohmann::json status = daemon.Status();
      fprintf(stderr, "modraced: watching %s with %s (%s), socket %s\n", daemon.root().c_str(),
              status["backend"].get<std::string>().c_str(),
              status["backend_reason"].get<std::string>().c_str(),
              daemon.socket_path().c_str());
      uv_run(&loop, UV_RUN_DEFAULT);
    }
    daemon.Stop();
    uv_run(&loop, UV_RUN_DEFAULT);
  }
  if (uv_loop_close(&loop) != 0) fprintf(stderr, "modraced: handles left open at exit\n");
  return rc;
}

}  // namespace modrace

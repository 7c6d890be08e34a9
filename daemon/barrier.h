// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_DAEMON_BARRIER_H_
#define MODRACE_DAEMON_BARRIER_H_

// Barriers (docs/architecture.md, Flush barrier): a barrier creates a marker file in
// the watched root and completes when the source delivers that file's own
// close-write. Events are read in order, so everything written before the
// barrier has been analyzed by then. Marker events go only here: never to
// the analyzer, the record or a report. After an overflow the marker's
// event may be lost; the rescan that follows read the disk after every
// pending marker was made, so kRescanDone completes them all.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "proto/fs_event.h"

namespace modrace {

inline constexpr char kBarrierPrefix[] = ".modrace-barrier-";

// True for a marker in the root: ".modrace-barrier-<pid>-<n>".
bool IsBarrierMarker(std::string_view path);

class Barriers {
 public:
  using Done = std::function<void(bool ok, const std::string& error)>;

  explicit Barriers(std::string root);
  ~Barriers();  // fails what is pending

  // Creates the marker; `done` runs later (or never, if the caller never
  // feeds events). Returns false with *error when the marker cannot be
  // made (done is then not called).
  bool Start(uint64_t deadline_ms, Done done, std::string* error);

  // With two sources (fanotify's names_only events beside inotify's), a
  // barrier completes only once both have delivered the marker's
  // close-write: then everything before it was analyzed on both sides.
  void set_two_sources(bool two) { two_sources_ = two; }

  // A marker's event. Completes its barrier on close-write (from each
  // source, see above).
  void OnMarkerEvent(const FsEvent& event);
  // A rescan finished: every pending barrier is complete.
  void OnRescanDone();
  // Fails barriers whose deadline (same clock as Start's) has passed.
  void Expire(uint64_t now_ms);
  void FailAll(const std::string& why);

  size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    uint64_t deadline_ms = 0;
    Done done;
    bool seen_order = false;  // the close-write from the source of order (inotify)
    bool seen_names = false;  // ... from the names_only source (fanotify)
  };
  void Finish(std::map<std::string, Pending>::iterator it, bool ok, const std::string& error);

  std::string root_;
  bool two_sources_ = false;
  uint64_t next_ = 1;
  std::map<std::string, Pending> pending_;  // by marker name
};

}  // namespace modrace

#endif  // MODRACE_DAEMON_BARRIER_H_

// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/barrier.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <utility>
#include <vector>

namespace modrace {

bool IsBarrierMarker(std::string_view path) {
  return path.size() > sizeof(kBarrierPrefix) - 1 &&
         path.compare(0, sizeof(kBarrierPrefix) - 1, kBarrierPrefix) == 0 &&
         path.find('/') == std::string_view::npos;
}

Barriers::Barriers(std::string root) : root_(std::move(root)) {}

Barriers::~Barriers() { FailAll("daemon shutting down"); }

bool Barriers::Start(uint64_t deadline_ms, Done done, std::string* error) {
  const std::string name =
      std::string(kBarrierPrefix) + std::to_string(getpid()) + "-" + std::to_string(next_++);
  const std::string path = root_ + "/" + name;
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    *error = "cannot create barrier marker " + path + ": " + strerror(errno);
    return false;
  }
  pending_[name] = Pending{deadline_ms, std::move(done), false, false};
  close(fd);  // its IN_CLOSE_WRITE is the barrier
  return true;
}

void Barriers::Finish(std::map<std::string, Pending>::iterator it, bool ok,
                      const std::string& error) {
  unlink((root_ + "/" + it->first).c_str());
  Done done = std::move(it->second.done);
  pending_.erase(it);
  if (done) done(ok, error);
}

void Barriers::OnMarkerEvent(const FsEvent& event) {
  if (event.kind != EventKind::kCloseWrite) return;
  auto it = pending_.find(event.path);
  if (it == pending_.end()) return;
  (event.names_only ? it->second.seen_names : it->second.seen_order) = true;
  if (two_sources_ ? it->second.seen_order && it->second.seen_names : true) {
    Finish(it, true, "");
  }
}

void Barriers::OnRescanDone() {
  while (!pending_.empty()) Finish(pending_.begin(), true, "");
}

void Barriers::Expire(uint64_t now_ms) {
  std::vector<std::string> late;
  for (const auto& [name, p] : pending_) {
    if (p.deadline_ms <= now_ms) late.push_back(name);
  }
  for (const auto& name : late) {
    auto it = pending_.find(name);
    if (it != pending_.end()) {
      Finish(it, false, "barrier timed out: the marker's event never arrived");
    }
  }
}

void Barriers::FailAll(const std::string& why) {
  while (!pending_.empty()) Finish(pending_.begin(), false, why);
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/finding_book.h"

#include <algorithm>
#include <utility>

namespace modrace {

namespace {

std::string FullKey(FindingKind kind, const std::string& key) {
  std::string full(FindingKindName(kind));
  full.push_back('\0');
  full += key;
  return full;
}

}  // namespace

Finding* FindingBook::Find(FindingKind kind, const std::string& key) {
  auto it = by_key_.find(FullKey(kind, key));
  return it == by_key_.end() ? nullptr : &findings_[it->second];
}

Finding& FindingBook::Upsert(FindingKind kind, const std::string& key, uint64_t seq,
                             int64_t time_ns, bool* created) {
  std::string full = FullKey(kind, key);
  auto it = by_key_.find(full);
  if (it != by_key_.end()) {
    *created = false;
    return findings_[it->second];
  }
  *created = true;
  Finding f;
  f.id = next_id_++;
  f.kind = kind;
  f.first_seq = seq;
  f.last_seq = seq;
  f.first_time_ns = time_ns;
  findings_.push_back(std::move(f));
  by_key_.emplace(std::move(full), findings_.size() - 1);
  return findings_.back();
}

void FindingBook::Touch(Finding& f, uint64_t seq) {
  f.revision = ++revision_;
  f.last_seq = std::max(f.last_seq, seq);
}

void FindingBook::AddEvidence(Finding& f, Evidence e) {
  if (f.evidence.size() < kMaxEvidencePerFinding) f.evidence.push_back(std::move(e));
}

void FindingBook::AddWriter(Finding& f, Writer w) {
  if (w.process) {
    // Named once per finding: the job carries the recipe and the chain.
    w.process->ancestors.clear();
    w.process->ancestor_cmdlines.clear();
    w.process->make_dir.clear();
    if (w.process->cmdline.size() > kWriterCmdlineKept) {
      w.process->cmdline = w.process->cmdline.substr(0, kWriterCmdlineKept - 3) + "...";
    }
  }
  for (auto& existing : f.writers) {
    if (w.process && existing.process && existing.process->pid == w.process->pid &&
        existing.process->start_time == w.process->start_time) {
      // One process is one writer: keep the interval it was seen in.
      if (existing.open_seq == 0 || (w.open_seq != 0 && w.open_seq < existing.open_seq)) {
        existing.open_seq = w.open_seq;
      }
      existing.close_seq = std::max(existing.close_seq, w.close_seq);
      return;
    }
    if (existing.open_seq == w.open_seq && existing.close_seq == w.close_seq &&
        existing.process.has_value() == w.process.has_value()) {
      return;
    }
  }
  if (f.writers.size() < kMaxWritersPerFinding) f.writers.push_back(std::move(w));
}

bool FindingBook::AddPath(Finding& f, const std::string& path) {
  if (std::find(f.paths.begin(), f.paths.end(), path) != f.paths.end()) return false;
  f.paths.push_back(path);
  return true;
}

void FindingBook::Clear() {
  findings_.clear();
  by_key_.clear();
}

}  // namespace modrace

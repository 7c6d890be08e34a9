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
  for (const auto& existing : f.writers) {
    if (existing.open_seq == w.open_seq && existing.close_seq == w.close_seq) return;
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

// SPDX-License-Identifier: GPL-2.0-only
#include "proto/fs_event.h"

#include <array>
#include <limits>
#include <stdexcept>
#include <utility>

#include "proto/bytes_json.h"

namespace modrace {

namespace {

constexpr std::array<std::pair<EventKind, std::string_view>, 13> kKindNames = {{
    {EventKind::kOpen, "open"},
    {EventKind::kModify, "modify"},
    {EventKind::kCloseWrite, "close_write"},
    {EventKind::kCloseNoWrite, "close_nowrite"},
    {EventKind::kCreate, "create"},
    {EventKind::kDelete, "delete"},
    {EventKind::kMovedFrom, "moved_from"},
    {EventKind::kMovedTo, "moved_to"},
    {EventKind::kExisting, "existing"},
    {EventKind::kOverflow, "overflow"},
    {EventKind::kUnwatched, "unwatched"},
    {EventKind::kUnreadable, "unreadable"},
    {EventKind::kRescanDone, "rescan_done"},
}};

}  // namespace

std::string_view EventKindName(EventKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<EventKind> ParseEventKind(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

void to_json(nlohmann::json& j, const ProcessInfo& p) {
  j = nlohmann::json{{"pid", p.pid}, {"start_time", p.start_time}};
  PutBytes(j, "comm", p.comm);
  PutBytes(j, "cmdline", p.cmdline);
  j["ancestors"] = p.ancestors;
  nlohmann::json cmds = nlohmann::json::array();
  for (const auto& c : p.ancestor_cmdlines) {
    nlohmann::json one = nlohmann::json::object();
    PutBytes(one, "cmdline", c);
    cmds.push_back(std::move(one));
  }
  j["ancestor_cmdlines"] = std::move(cmds);
  if (p.job_pid != 0) {
    j["job"] = nlohmann::json{{"pid", p.job_pid}, {"start_time", p.job_start_time}};
  }
  if (!p.ancestors.empty() && (p.make_start_time != 0 || !p.make_dir.empty())) {
    nlohmann::json make{{"start_time", p.make_start_time}};
    PutBytes(make, "dir", p.make_dir);
    j["make"] = std::move(make);
  }
  if (p.top_make_pid != 0) {
    j["top_make"] = nlohmann::json{{"pid", p.top_make_pid}, {"start_time", p.top_make_start_time}};
  }
}

namespace {

// nlohmann's get<int>() of a float is undefined behaviour when the value is
// out of range, and wraps silently between integer types: recorded files
// are untrusted, so integers are checked here.
template <typename T>
T GetInteger(const nlohmann::json& v, const char* name) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u <= static_cast<uint64_t>(std::numeric_limits<T>::max())) return static_cast<T>(u);
  } else if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    if (i >= static_cast<int64_t>(std::numeric_limits<T>::min()) &&
        (i < 0 ||
         static_cast<uint64_t>(i) <= static_cast<uint64_t>(std::numeric_limits<T>::max()))) {
      return static_cast<T>(i);
    }
  }
  throw std::runtime_error(std::string("\"") + name + "\" must be an integer in range, not " +
                           v.dump().substr(0, 40));
}

}  // namespace

void from_json(const nlohmann::json& j, ProcessInfo& p) {
  p = ProcessInfo{};
  p.pid = GetInteger<int32_t>(j.at("pid"), "pid");
  if (j.contains("start_time")) {
    p.start_time = GetInteger<uint64_t>(j.at("start_time"), "start_time");
  }
  GetBytes(j, "comm", &p.comm);
  GetBytes(j, "cmdline", &p.cmdline);
  if (j.contains("ancestors")) {
    for (const auto& a : j.at("ancestors")) {
      p.ancestors.push_back(GetInteger<int32_t>(a, "ancestors"));
    }
  }
  if (j.contains("ancestor_cmdlines")) {
    for (const auto& one : j.at("ancestor_cmdlines")) {
      std::string c;
      GetBytes(one, "cmdline", &c);
      p.ancestor_cmdlines.push_back(std::move(c));
    }
  }
  if (j.contains("job")) {
    const auto& job = j.at("job");
    p.job_pid = GetInteger<int32_t>(job.at("pid"), "job.pid");
    if (job.contains("start_time")) {
      p.job_start_time = GetInteger<uint64_t>(job.at("start_time"), "job.start_time");
    }
  }
  if (j.contains("make")) {
    const auto& make = j.at("make");
    if (make.contains("start_time")) {
      p.make_start_time = GetInteger<uint64_t>(make.at("start_time"), "make.start_time");
    }
    GetBytes(make, "dir", &p.make_dir);
  }
  if (j.contains("top_make")) {
    const auto& top = j.at("top_make");
    p.top_make_pid = GetInteger<int32_t>(top.at("pid"), "top_make.pid");
    if (top.contains("start_time")) {
      p.top_make_start_time = GetInteger<uint64_t>(top.at("start_time"), "top_make.start_time");
    }
  }
}

void to_json(nlohmann::json& j, const FsEvent& e) { j = EventJson(e, true); }

nlohmann::json EventJson(const FsEvent& e, bool with_process) {
  nlohmann::json j{{"seq", e.seq}, {"time_ns", e.time_ns},
                   {"kind", std::string(EventKindName(e.kind))}};
  PutBytes(j, "path", e.path);
  if (e.is_dir) j["is_dir"] = true;
  if (e.process && with_process) j["process"] = *e.process;
  if (e.content) PutBytes(j, "content", *e.content);
  if (e.content_truncated) j["content_truncated"] = true;
  if (e.names_only) j["names_only"] = true;
  if (!e.detail.empty()) PutBytes(j, "detail", e.detail);
  if (e.cause) j["cause"] = std::string(GapCauseName(*e.cause));
  return j;
}

namespace {

constexpr size_t kProcessRefsKept = 1 << 20;

size_t Mix(size_t h, size_t v) { return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)); }

size_t ProcessHash(const ProcessInfo& p) {
  std::hash<std::string> hs;
  size_t h = Mix(hs(p.comm), hs(p.cmdline));
  for (int32_t a : p.ancestors) h = Mix(h, static_cast<size_t>(a));
  h = Mix(h, static_cast<size_t>(p.job_pid));
  h = Mix(h, static_cast<size_t>(p.top_make_pid));
  return Mix(h, hs(p.make_dir));
}

}  // namespace

void ProcessRefWriter::Put(nlohmann::json& j, const ProcessInfo& p) {
  const uint64_t key = (static_cast<uint64_t>(static_cast<uint32_t>(p.pid)) << 32) ^ p.start_time;
  const size_t hash = ProcessHash(p);
  auto it = seen_.find(key);
  if (it != seen_.end() && it->second.hash == hash) {
    j["process_id"] = it->second.id;
    return;
  }
  if (it == seen_.end() && seen_.size() >= kProcessRefsKept) seen_.clear();
  const uint64_t id = next_id_++;
  seen_[key] = Seen{id, hash};
  nlohmann::json whole = p;
  whole["id"] = id;
  j["process"] = std::move(whole);
}

bool EventLineReader::Parse(std::string_view line, FsEvent* event, std::string* error) {
  if (!ParseEventLine(line, event, error)) return false;
  if (line.find("\"process") == std::string_view::npos) return true;  // no process at all
  try {
    const auto j = nlohmann::json::parse(line);
    if (j.contains("process_id")) {
      const uint64_t id = GetInteger<uint64_t>(j.at("process_id"), "process_id");
      auto it = processes_.find(id);
      if (it == processes_.end()) {
        *error = "process_id " + std::to_string(id) + " names no process defined before it";
        return false;
      }
      event->process = it->second;
    } else if (event->process && j.at("process").contains("id")) {
      processes_[GetInteger<uint64_t>(j.at("process").at("id"), "process.id")] = event->process;
    }
    return true;
  } catch (const std::exception& ex) {
    *error = ex.what();
    return false;
  }
}

void from_json(const nlohmann::json& j, FsEvent& e) {
  e = FsEvent{};
  e.seq = GetInteger<uint64_t>(j.at("seq"), "seq");
  if (j.contains("time_ns")) e.time_ns = GetInteger<int64_t>(j.at("time_ns"), "time_ns");
  const std::string kind = j.at("kind").get<std::string>();
  auto parsed = ParseEventKind(kind);
  if (!parsed) throw std::runtime_error("unknown event kind '" + kind + "'");
  e.kind = *parsed;
  if (!GetBytes(j, "path", &e.path)) throw std::runtime_error("event has no path");
  if (j.contains("is_dir")) e.is_dir = j.at("is_dir").get<bool>();
  if (j.contains("process")) {
    e.process = std::make_shared<const ProcessInfo>(j.at("process").get<ProcessInfo>());
  }
  std::string content;
  if (GetBytes(j, "content", &content)) e.content = std::move(content);
  if (j.contains("content_truncated")) e.content_truncated = j.at("content_truncated").get<bool>();
  if (j.contains("names_only")) e.names_only = j.at("names_only").get<bool>();
  GetBytes(j, "detail", &e.detail);
  if (j.contains("cause")) {
    const std::string cause = j.at("cause").get<std::string>();
    e.cause = ParseGapCause(cause);
    if (!e.cause) throw std::runtime_error("unknown gap cause '" + cause + "'");
  }
}

bool ParseEventLine(std::string_view line, FsEvent* event, std::string* error) {
  if (!JsonDepthWithin(line, kMaxJsonDepth)) {
    *error = "event nests deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  try {
    auto j = nlohmann::json::parse(line);
    if (!j.is_object()) {
      *error = "an event line must be a JSON object";
      return false;
    }
    *event = j.get<FsEvent>();
    return true;
  } catch (const std::exception& ex) {
    *error = ex.what();
    return false;
  }
}

}  // namespace modrace

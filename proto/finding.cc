// SPDX-License-Identifier: GPL-2.0-only
#include "proto/finding.h"

#include <array>
#include <stdexcept>
#include <utility>

#include "proto/bytes_json.h"

namespace modrace {

namespace {

constexpr std::array<std::pair<Severity, std::string_view>, 3> kSeverityNames = {{
    {Severity::kInfo, "info"},
    {Severity::kWarning, "warning"},
    {Severity::kError, "error"},
}};

constexpr std::array<std::pair<Confidence, std::string_view>, 2> kConfidenceNames = {{
    {Confidence::kLikely, "likely"},
    {Confidence::kCertain, "certain"},
}};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> ValueOf(const std::array<std::pair<E, std::string_view>, N>& table,
                         std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

template <typename E, size_t N>
E RequireValue(const std::array<std::pair<E, std::string_view>, N>& table,
               const nlohmann::json& j, const char* key) {
  const std::string name = j.at(key).get<std::string>();
  auto v = ValueOf(table, name);
  if (!v) throw std::runtime_error(std::string("unknown ") + key + " '" + name + "'");
  return *v;
}

}  // namespace

std::string EvidenceExcerpt(std::string_view content) {
  return std::string(content.substr(0, kEvidenceExcerptBytes));
}

std::string_view SeverityName(Severity s) { return NameOf(kSeverityNames, s); }
std::optional<Severity> ParseSeverity(std::string_view name) {
  return ValueOf(kSeverityNames, name);
}
std::string_view ConfidenceName(Confidence c) { return NameOf(kConfidenceNames, c); }
std::optional<Confidence> ParseConfidence(std::string_view name) {
  return ValueOf(kConfidenceNames, name);
}

void to_json(nlohmann::json& j, const Evidence& e) {
  j = nlohmann::json{{"seq", e.seq}};
  PutBytes(j, "path", e.path);
  j["what"] = e.what;
  if (e.content) PutBytes(j, "content", *e.content);
}

void from_json(const nlohmann::json& j, Evidence& e) {
  e = Evidence{};
  e.seq = j.at("seq").get<uint64_t>();
  GetBytes(j, "path", &e.path);
  e.what = j.at("what").get<std::string>();
  std::string content;
  if (GetBytes(j, "content", &content)) e.content = std::move(content);
}

void to_json(nlohmann::json& j, const Writer& w) {
  j = nlohmann::json{{"open_seq", w.open_seq}, {"close_seq", w.close_seq}};
  if (w.process) j["process"] = *w.process;
  if (w.job != 0) j["job"] = w.job;
}

void to_json(nlohmann::json& j, const JobRef& r) {
  j = nlohmann::json{{"id", r.id}, {"pids", r.pids}};
  PutBytes(j, "short", r.short_name);
  PutBytes(j, "recipe", r.recipe);
  if (r.make_pid != 0) {
    nlohmann::json make{{"pid", r.make_pid}};
    PutBytes(make, "call", r.make);
    if (!r.make_dir.empty()) PutBytes(make, "dir", r.make_dir);
    j["make"] = std::move(make);
  }
}

void from_json(const nlohmann::json& j, JobRef& r) {
  r = JobRef{};
  r.id = j.at("id").get<uint64_t>();
  GetBytes(j, "short", &r.short_name);
  GetBytes(j, "recipe", &r.recipe);
  if (j.contains("pids")) r.pids = j.at("pids").get<std::vector<int32_t>>();
  if (j.contains("make")) {
    const auto& make = j.at("make");
    r.make_pid = make.at("pid").get<int32_t>();
    GetBytes(make, "call", &r.make);
    GetBytes(make, "dir", &r.make_dir);
  }
}

void from_json(const nlohmann::json& j, Writer& w) {
  w = Writer{};
  w.open_seq = j.at("open_seq").get<uint64_t>();
  w.close_seq = j.at("close_seq").get<uint64_t>();
  if (j.contains("process")) w.process = j.at("process").get<ProcessInfo>();
  if (j.contains("job")) w.job = j.at("job").get<uint64_t>();
}

void to_json(nlohmann::json& j, const SourceLine& s) {
  j = nlohmann::json{{"line", s.line}};
  PutBytes(j, "file", s.file);
  PutBytes(j, "text", s.text);
}

void from_json(const nlohmann::json& j, SourceLine& s) {
  s = SourceLine{};
  GetBytes(j, "file", &s.file);
  s.line = j.at("line").get<int>();
  GetBytes(j, "text", &s.text);
}

void to_json(nlohmann::json& j, const Finding& f) {
  j = nlohmann::json{
      {"id", f.id},
      {"revision", f.revision},
      {"kind", std::string(FindingKindName(f.kind))},
      {"severity", std::string(SeverityName(f.severity))},
      {"confidence", std::string(ConfidenceName(f.confidence))},
  };
  if (f.module) PutBytes(j, "module", *f.module);
  nlohmann::json paths = nlohmann::json::array();
  for (const auto& p : f.paths) {
    // Paths are bytes; a non-UTF-8 one goes as {"path_hex": ...}.
    if (IsValidUtf8(p)) {
      paths.push_back(p);
    } else {
      paths.push_back(nlohmann::json{{"path_hex", HexEncode(p)}});
    }
  }
  j["paths"] = std::move(paths);
  j["writers"] = f.writers;
  if (!f.jobs.empty()) j["jobs"] = f.jobs;
  j["evidence"] = f.evidence;
  if (!f.gap_causes.empty()) {
    nlohmann::json causes = nlohmann::json::array();
    for (GapCause c : f.gap_causes) causes.push_back(std::string(GapCauseName(c)));
    j["gap_causes"] = std::move(causes);
  }
  if (!f.sources.empty()) j["sources"] = f.sources;
  if (f.prediction) {
    j["prediction"] = {{"state", f.prediction->confirmed ? "confirmed" : "unconfirmed"},
                       {"note", f.prediction->note}};
  }
  j["message"] = f.message;  // DumpLine replaces any invalid UTF-8
  j["first_seq"] = f.first_seq;
  j["last_seq"] = f.last_seq;
  j["first_time_ns"] = f.first_time_ns;
  if (f.cause != 0) j["cause"] = f.cause;
}

void from_json(const nlohmann::json& j, Finding& f) {
  f = Finding{};
  f.id = j.at("id").get<uint64_t>();
  if (j.contains("revision")) f.revision = j.at("revision").get<uint64_t>();
  const std::string kind = j.at("kind").get<std::string>();
  const std::optional<FindingKind> parsed = ParseFindingKind(kind);
  if (!parsed) throw std::runtime_error("unknown kind '" + kind + "'");
  f.kind = *parsed;
  f.severity = RequireValue(kSeverityNames, j, "severity");
  f.confidence = RequireValue(kConfidenceNames, j, "confidence");
  std::string module;
  if (GetBytes(j, "module", &module)) f.module = std::move(module);
  for (const auto& p : j.at("paths")) {
    if (p.is_string()) {
      f.paths.push_back(p.get<std::string>());
    } else {
      std::string decoded;
      GetBytes(p, "path", &decoded);
      f.paths.push_back(std::move(decoded));
    }
  }
  if (j.contains("writers")) f.writers = j.at("writers").get<std::vector<Writer>>();
  if (j.contains("jobs")) f.jobs = j.at("jobs").get<std::vector<JobRef>>();
  if (j.contains("evidence")) f.evidence = j.at("evidence").get<std::vector<Evidence>>();
  if (j.contains("gap_causes")) {
    for (const auto& c : j.at("gap_causes")) {
      const std::string name = c.get<std::string>();
      const std::optional<GapCause> cause = ParseGapCause(name);
      if (!cause) throw std::runtime_error("unknown gap cause '" + name + "'");
      f.gap_causes.push_back(*cause);
    }
  }
  if (j.contains("sources")) f.sources = j.at("sources").get<std::vector<SourceLine>>();
  if (j.contains("prediction")) {
    const auto& p = j.at("prediction");
    f.prediction = Prediction{p.at("state").get<std::string>() == "confirmed",
                              p.value("note", std::string())};
  }
  f.message = j.at("message").get<std::string>();
  if (j.contains("first_seq")) f.first_seq = j.at("first_seq").get<uint64_t>();
  if (j.contains("last_seq")) f.last_seq = j.at("last_seq").get<uint64_t>();
  if (j.contains("first_time_ns")) f.first_time_ns = j.at("first_time_ns").get<int64_t>();
  if (j.contains("cause")) f.cause = j.at("cause").get<uint64_t>();
}

}  // namespace modrace

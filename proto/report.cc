// SPDX-License-Identifier: GPL-2.0-only
#include "proto/report.h"

#include <stdexcept>

#include "proto/bytes_json.h"
#include "proto/version.h"

namespace modrace {

void to_json(nlohmann::json& j, const Coverage& c) {
  j = nlohmann::json{{"overflows", c.overflows},
                     {"unwatched_dirs", c.unwatched_dirs},
                     {"unwatched_examples", c.unwatched_examples},
                     {"unreadable_files", c.unreadable_files},
                     {"oversized_files", c.oversized_files}};
  if (!c.outputs_outside.empty()) j["outputs_outside"] = c.outputs_outside;
  if (!c.stopped_by.empty()) j["stopped_by"] = c.stopped_by;
}

void from_json(const nlohmann::json& j, Coverage& c) {
  c = Coverage{};
  c.overflows = j.at("overflows").get<uint64_t>();
  c.unwatched_dirs = j.at("unwatched_dirs").get<uint64_t>();
  if (j.contains("unwatched_examples")) {
    c.unwatched_examples = j.at("unwatched_examples").get<std::vector<std::string>>();
  }
  c.unreadable_files = j.at("unreadable_files").get<uint64_t>();
  c.oversized_files = j.at("oversized_files").get<uint64_t>();
  if (j.contains("outputs_outside")) c.outputs_outside = j.at("outputs_outside").get<std::string>();
  if (j.contains("stopped_by")) c.stopped_by = j.at("stopped_by").get<std::string>();
}

void to_json(nlohmann::json& j, const Statistics& s) {
  j = nlohmann::json{{"events", s.events},
                     {"files_tracked", s.files_tracked},
                     {"modules_seen", s.modules_seen},
                     {"merged_opens", s.merged_opens},
                     {"watched_dirs", s.watched_dirs},
                     {"rescans", s.rescans}};
}

void from_json(const nlohmann::json& j, Statistics& s) {
  s = Statistics{};
  auto get = [&j](const char* key, uint64_t* out) {
    if (j.contains(key)) *out = j.at(key).get<uint64_t>();
  };
  get("events", &s.events);
  get("files_tracked", &s.files_tracked);
  get("modules_seen", &s.modules_seen);
  get("merged_opens", &s.merged_opens);
  get("watched_dirs", &s.watched_dirs);
  get("rescans", &s.rescans);
}

void to_json(nlohmann::json& j, const Report& r) {
  j = nlohmann::json{{"schema", r.schema.empty() ? std::string(kReportSchema) : r.schema},
                     {"backend", r.backend},
                     {"complete", r.complete},
                     {"coverage", r.coverage},
                     {"statistics", r.statistics},
                     {"findings", r.findings}};
  PutBytes(j, "tree", r.tree);
  if (!r.backend_reason.empty()) j["backend_reason"] = r.backend_reason;
  if (!r.jobs.empty()) j["jobs"] = r.jobs;
  if (!r.jobs_unavailable.empty()) j["jobs_unavailable"] = r.jobs_unavailable;
  if (!r.timeline.empty()) j["timeline"] = r.timeline;
  if (r.timeline_dropped != 0) j["timeline_dropped"] = r.timeline_dropped;
}

void from_json(const nlohmann::json& j, Report& r) {
  r = Report{};
  r.schema = j.at("schema").get<std::string>();
  if (r.schema != kReportSchema) {
    throw std::runtime_error("unsupported report schema '" + r.schema + "' (expected " +
                             kReportSchema + ")");
  }
  GetBytes(j, "tree", &r.tree);
  r.backend = j.at("backend").get<std::string>();
  if (j.contains("backend_reason")) r.backend_reason = j.at("backend_reason").get<std::string>();
  r.complete = j.at("complete").get<bool>();
  r.coverage = j.at("coverage").get<Coverage>();
  if (j.contains("statistics")) r.statistics = j.at("statistics").get<Statistics>();
  r.findings = j.at("findings").get<std::vector<Finding>>();
  if (j.contains("jobs")) r.jobs = j.at("jobs").get<std::vector<JobRef>>();
  if (j.contains("timeline")) r.timeline = j.at("timeline").get<std::vector<TimelineJob>>();
  r.timeline_dropped = j.value("timeline_dropped", uint64_t{0});
  if (j.contains("jobs_unavailable")) {
    r.jobs_unavailable = j.at("jobs_unavailable").get<std::string>();
  }
}

}  // namespace modrace

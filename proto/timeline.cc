// SPDX-License-Identifier: GPL-2.0-only
#include "proto/timeline.h"

#include "proto/bytes_json.h"

namespace modrace {

void to_json(nlohmann::json& j, const TimelineJob& t) {
  j = nlohmann::json{
      {"id", t.id}, {"make_pid", t.make_pid}, {"first_ns", t.first_ns}, {"last_ns", t.last_ns}};
  PutBytes(j, "name", t.name);
  if (!t.make.empty()) PutBytes(j, "make", t.make);
  if (t.top_make_pid != 0) j["top_make_pid"] = t.top_make_pid;
}

void from_json(const nlohmann::json& j, TimelineJob& t) {
  t = TimelineJob{};
  t.id = j.at("id").get<uint64_t>();
  GetBytes(j, "name", &t.name);
  t.make_pid = j.value("make_pid", 0);
  GetBytes(j, "make", &t.make);
  t.top_make_pid = j.value("top_make_pid", 0);
  t.first_ns = j.at("first_ns").get<int64_t>();
  t.last_ns = j.at("last_ns").get<int64_t>();
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/trace_lanes.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace modrace {

std::vector<uint32_t> AssignLanes(const std::vector<TimelineJob>& jobs) {
  std::vector<size_t> order(jobs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return jobs[a].first_ns < jobs[b].first_ns; });
  // Per make: when each of its lanes ends. A -j80 build has at most some
  // 80 lanes per make, so a scan for the lowest free one is cheap.
  std::unordered_map<int32_t, std::vector<int64_t>> lane_ends;
  std::vector<uint32_t> lane(jobs.size(), 0);
  for (size_t i : order) {
    std::vector<int64_t>& ends = lane_ends[jobs[i].make_pid];
    size_t l = 0;
    while (l < ends.size() && ends[l] >= jobs[i].first_ns) ++l;
    if (l == ends.size()) ends.push_back(0);
    ends[l] = std::max(jobs[i].last_ns, jobs[i].first_ns);
    lane[i] = static_cast<uint32_t>(l);
  }
  return lane;
}

}  // namespace modrace

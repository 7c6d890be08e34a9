// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_PROTO_VERSION_H_
#define MODRACE_PROTO_VERSION_H_

namespace modrace {

// Bumped when a request, reply or report changes incompatibly. `hello`
// returns it; clients refuse a daemon with another major version.
inline constexpr int kProtocolVersion = 1;
inline constexpr const char kReportSchema[] = "modrace.report/1";
inline constexpr const char kEventSchema[] = "modrace.event/1";
inline constexpr const char kModraceVersion[] = "0.1.0";

// Protocol lines (requests, replies, recorded events) are at most this long.
inline constexpr size_t kMaxLineBytes = 1 << 20;

}  // namespace modrace

#endif  // MODRACE_PROTO_VERSION_H_

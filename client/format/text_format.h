// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_TEXT_FORMAT_H_
#define MODRACE_CLIENT_TEXT_FORMAT_H_

// The text format: one block per finding, for a person at a terminal:
// what, where, which writers, how sure, what to do; then a completeness
// line when the report may have missed something.

#include <ostream>

#include "proto/report.h"

namespace modrace {

void RenderText(const Report& report, std::ostream& out);

}  // namespace modrace

#endif  // MODRACE_CLIENT_TEXT_FORMAT_H_

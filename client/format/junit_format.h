// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_JUNIT_FORMAT_H_
#define MODRACE_CLIENT_JUNIT_FORMAT_H_

// The JUnit XML format, for CI systems that show test results (GitLab,
// Jenkins, Azure Pipelines, CircleCI). A report becomes one
// <testsuite name="modrace"> inside <testsuites>. Every check modrace ran
// (one per finding kind: "module names", "concurrent writes", "clobbered
// records", "torn files", "duplicate module paths", "coverage") is present:
// as one passing testcase when it found nothing, else as one testcase per
// finding (the module or file it is about) holding one
// <failure message="MESSAGE" type="KIND">paths, writers, evidence</failure>.
// So a clean report still lists what was checked, and each finding shows as
// its own failed test. An incomplete report with no coverage_gap finding
// still fails the "coverage" testcase. Bytes XML 1.0 cannot carry appear as
// `\xNN` (client/format/display_text.h).

#include <ostream>
#include <string>
#include <string_view>

#include "proto/report.h"

namespace modrace {

void RenderJunit(const Report& report, std::ostream& out);

enum class XmlContext { kText, kAttribute };

// DisplayText of `bytes`, escaped for XML 1.0: & < > " ' as entities; CR as
// a character reference (a parser turns a bare CR into LF); in attribute
// values also tab and newline (attribute-value normalization would turn
// them into spaces). What a parser reads back is DisplayText(bytes) exactly.
std::string XmlEscape(std::string_view bytes, XmlContext context = XmlContext::kAttribute);

}  // namespace modrace

#endif  // MODRACE_CLIENT_JUNIT_FORMAT_H_

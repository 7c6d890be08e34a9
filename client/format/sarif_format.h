// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_SARIF_FORMAT_H_
#define MODRACE_CLIENT_SARIF_FORMAT_H_

// The SARIF 2.1.0 format, for code-scanning uploads (GitHub code scanning,
// Azure DevOps, SonarQube). One run; tool.driver lists one rule per finding
// kind (id = the kind's wire name, e.g. "module_name_collision"), so a clean
// run still says what was checked; each finding is one result with ruleId,
// level (error / warning / note from severity), message.text, locations
// (at least one: the Kbuild/Makefile lines when known, else the build
// outputs, else the tree; relative URIs under uriBaseId "SRCROOT", which
// originalUriBaseIds maps to the tree's file:// URI when the tree is an
// absolute path) and properties
// (severity, confidence, module, finding_id). An incomplete report adds a
// warning notification to the run's invocation. Text goes through
// DisplayText (client/format/display_text.h); paths in URIs are percent-encoded
// byte for byte, so non-UTF-8 paths survive exactly.

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "proto/report.h"

namespace modrace {

inline constexpr char kSarifSchemaUri[] = "https://json.schemastore.org/sarif-2.1.0.json";

// The SARIF log as a JSON value, keys in the order written above.
nlohmann::ordered_json SarifLog(const Report& report);

// SarifLog, pretty-printed: SARIF files are read by people too.
void RenderSarif(const Report& report, std::ostream& out);

// Percent-encodes `bytes` for a URI path (RFC 3986): unreserved characters
// and '/' stay, every other byte becomes %XX.
std::string PercentEncodePath(std::string_view bytes);

}  // namespace modrace

#endif  // MODRACE_CLIENT_SARIF_FORMAT_H_

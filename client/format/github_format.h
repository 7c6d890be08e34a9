// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_GITHUB_FORMAT_H_
#define MODRACE_CLIENT_GITHUB_FORMAT_H_

// The GitHub Actions format: one workflow command per finding,
//   ::error file=PATH,title=modrace: TITLE (CONFIDENCE)::MESSAGE
// (`warning` for warnings, `notice` for info), which the runner turns into
// annotations on the run and, when PATH is in the repository, on the file.
// The message holds the finding's message, its paths and what to do, on
// several lines (escaped). An incomplete report with no coverage_gap finding
// adds one `::warning`; a summary line closes the output. Lines that are not
// commands never start with "::", and no byte of a path or message can end
// a command early or start another one: data and properties are escaped by
// the runner's rules (GitHubEscapeData, GitHubEscapeProperty) after
// DisplayText (client/format/display_text.h).

#include <ostream>
#include <string>
#include <string_view>

#include "proto/report.h"

namespace modrace {

void RenderGithub(const Report& report, std::ostream& out);

// DisplayText, then % CR LF as %25 %0D %0A: a command's message.
std::string GitHubEscapeData(std::string_view bytes);
// GitHubEscapeData, and also ':' and ',' as %3A and %2C: a property value.
std::string GitHubEscapeProperty(std::string_view bytes);

}  // namespace modrace

#endif  // MODRACE_CLIENT_GITHUB_FORMAT_H_

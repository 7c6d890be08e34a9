// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_REPORT_OUTPUT_H_
#define MODRACE_CLIENT_REPORT_OUTPUT_H_

// Renders a Report in the format the user asked for, and decides the exit
// code from --fail-on. Every command that ends in a report (report, run,
// repro, replay, audit) goes through here, so formats and exit codes agree.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "proto/report.h"

namespace modrace {

enum class OutputFormat { kText, kJson, kJunit, kSarif, kGithub, kDiag, kTrace };

struct OutputOptions {
  std::string format;            // "" = text on a terminal, json otherwise
  std::string fail_on = "error";  // error | warning | never
};

// Adds --format and --fail-on to a subcommand.
void AddOutputOptions(CLI::App* sub, OutputOptions* options);

// The names --format accepts.
const std::vector<std::string>& FormatNames();
std::optional<OutputFormat> ParseFormat(const std::string& name);

// Picks the format: the named one, else text when `stdout_is_tty`, else json.
OutputFormat ResolveFormat(const OutputOptions& options, bool stdout_is_tty);

// Writes the report in `format`.
void RenderReport(const Report& report, OutputFormat format, std::ostream& out);

// 1 when any finding is at or above --fail-on, else 0.
int ExitCodeFor(const Report& report, const std::string& fail_on);

// "no findings", "2 errors found", "1 error, 3 warnings found" (notes
// counted too), plus " (incomplete report)" when the report may miss
// something: the findings half of the last line `run` and `repro` print.
std::string SummarizeFindings(const Report& report);

}  // namespace modrace

#endif  // MODRACE_CLIENT_REPORT_OUTPUT_H_

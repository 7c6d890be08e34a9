// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_FORMAT_TESTING_H_
#define MODRACE_CLIENT_FORMAT_TESTING_H_

// What the format tests share: reports to render (a clean one, the asix
// race, one full of hostile bytes) and real parsers to read the output back
// (Python's xml.etree for JUnit, python3-jsonschema with a SARIF 2.1.0
// subset schema, a re-implementation of the GitHub runner's command parser).
// Paths are relative to the runfiles root, like tests/schema_check.h.

#include <nlohmann/json.hpp>
#include <string>

#include "proto/report.h"

namespace modrace {

Report CleanReport();
// The asix race of tests/scenarios/rothwell_asix_tmp_versions.jsonl, with an
// incomplete coverage.
Report AsixReport();
// What `obj-m += sub/ sub/x.o` gives under fanotify (examples/kbuild-twice):
// five write_hazard on sub/x.o's files, two concurrent_writers and one
// duplicate_module_path, with their jobs and Kbuild lines, causes assigned
// (analyzer/finding_causes.h): one cause, headed by sub/x.o's write_hazard.
Report KbuildTwiceReport();
// Findings whose paths, module names, messages and evidence hold newline,
// CR, NUL, ESC, '<', '&', quotes, '%', ':', ',', "::" and non-UTF-8 bytes.
Report HostileReport();

// Runs /usr/bin/python3 SCRIPT FILE, FILE holding `input`; returns its stdout
// parsed as JSON, or a JSON object {"error": ...} when it failed or printed
// something that is not JSON.
nlohmann::json RunPythonOnFile(const std::string& script, const std::string& input);

// junit_parse.py's reading of `xml` (see client/format/testdata/junit_parse.py).
nlohmann::json ParseJunit(const std::string& xml);
// github_parse.py's reading of `text` (see client/format/testdata/github_parse.py).
nlohmann::json ParseGithub(const std::string& text);
// "" when `sarif` is JSON valid against client/format/testdata/
// sarif-2.1.0-subset.schema.json, else what is wrong.
std::string CheckSarif(const std::string& sarif);

// The problems of a Chrome Trace Event JSON object (--format trace) against
// the format's documented fields (traceEvents with ph, name, pid, tid, ts,
// dur; M metadata with args.name; flows s/f with id, f with bp "e"), and
// the bindings Perfetto needs: slices of one lane never overlap, every flow
// end lies inside a slice of its lane, each flow id is one s then one f, not
// backwards in time. Empty when none.
std::vector<std::string> TraceProblems(const nlohmann::json& trace);

}  // namespace modrace

#endif  // MODRACE_CLIENT_FORMAT_TESTING_H_

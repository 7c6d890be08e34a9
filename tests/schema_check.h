// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_TESTS_SCHEMA_CHECK_H_
#define MODRACE_TESTS_SCHEMA_CHECK_H_

#include <string>

namespace modrace {

// Validates JSON lines (one document per line) against a schema file, by
// running tests/schema_validate.py (python3-jsonschema). Paths are relative
// to the runfiles root, e.g. "proto/report.schema.json". Returns "" when
// every line is valid, else the validator's complaint.
std::string SchemaCheck(const std::string& schema_path, const std::string& lines);

}  // namespace modrace

#endif  // MODRACE_TESTS_SCHEMA_CHECK_H_

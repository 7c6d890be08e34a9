// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_FINDING_CAUSES_H_
#define MODRACE_ANALYZER_FINDING_CAUSES_H_

// Pure: which findings share one cause, and which of them is its headline
// (docs/architecture.md, Causes). One line of Kbuild can give a handful of
// findings (a write_hazard per file one target writes, concurrent_writers,
// duplicate_module_path); a person needs one headline and the rest as its
// evidence.
//
// Findings share a cause when they share a key, transitively:
//   - `name:N`: a module_name_collision of module N ('-' and '_' alike), and
//     a finding on N's old-kbuild record `.tmp_versions/N.mod`;
//   - `path:S`: a file of a finding, or a module path, whose stem is S
//     (TargetStem: `sub/x.o`, `sub/.x.o.cmd`, `sub/x.mod`, `sub/x.ko` and
//     the module path `sub/x` share `sub/x`); a module_name_collision's
//     module paths give no path key, its cause is the name;
//   - `jobs:A,B`: every pair of jobs a finding rests on.
// A coverage_gap shares no key: each one is a cause of its own.
//
// A cause's headline: the highest severity, then the kind
// (duplicate_module_path and module_name_collision, then write_hazard, then
// concurrent_writers, then the rest), then the first path (a `.ko` or `.o`
// before other files, hidden `.cmd` and `.d` files last), then the earliest
// first_seq, then the lowest id.

#include <string>
#include <string_view>
#include <vector>

#include "proto/finding.h"

namespace modrace {

// The stem kbuild's files of one target share (docs/kbuild.md, Which files
// a target writes): the directory kept, a leading `.` dropped, then the
// suffixes `.cmd`, `.d`, `.tmp`, `.o`, `.ko`, `.mod`, `.mod.c`, `.usyms`
// stripped from the end while one is there. "sub/.x.mod.o.cmd" -> "sub/x";
// "modules.order" stays as it is.
std::string TargetStem(std::string_view path);

// Sets every finding's `cause` to the id of its cause's headline (its own
// id when it shares a cause with no other). Deterministic, and the same
// whatever the order of `findings`; run it again after findings are added.
void AssignCauses(std::vector<Finding>& findings);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_FINDING_CAUSES_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_FINDING_PRESENTATION_H_
#define MODRACE_CLIENT_FINDING_PRESENTATION_H_

// How findings are named and located for people and CI systems: the check
// each kind stands for, what it detects, what to do about it, and which files
// a finding points at. Shared by every format so text, JUnit, SARIF and
// GitHub say the same thing.

#include <string>
#include <string_view>
#include <vector>

#include "proto/finding.h"
#include "proto/report.h"

namespace modrace {

// Each kind's check, title, summary and advice are in its row of the kind
// registry (proto/finding_kind.h: AllKindInfo, InfoOf).

// True for the kinds whose paths are module paths ("drivers/net/phy/asix":
// a module's name with its directory, no suffix), not files.
bool PathsAreModulePaths(FindingKind kind);

// The files a finding points at, as bytes, in the finding's order: its paths,
// with module paths completed to `PATH.ko`. Why `.ko`: a renderer touches no
// disk, so it cannot tell whether the module's directory has a Kbuild or a
// Makefile; `PATH.ko` is the file kbuild builds for exactly that module, the
// one the finding's message names, and it stays correct when one directory
// builds several modules. An overflow gap points at nothing (empty).
std::vector<std::string> FindingArtifacts(const Finding& f);

// A line of a file a pull request can change: the Kbuild or Makefile line
// that builds the module (proto's SourceLine, without its text here). Known
// from a finding's `sources` (`run` attaches them, client/prediction_merge.h)
// and where its evidence quotes it as the audit's source model does
// ("drivers/net/phy/Makefile:42: obj-m += asix.o", with that Makefile as the
// evidence's path). Build outputs (`.ko`, `.mod`, `modules.order`,
// `.tmp_versions/`) are never source lines: GitHub annotations locate a
// finding only at these, and name the outputs in its message; SARIF falls
// back to the outputs (client/format/sarif_format.h).
std::vector<SourceLine> FindingSourceLines(const Finding& f);

// A finding's `sources` on one line, as bytes:
// `Kbuild:1: obj-m += sub/ sub/x.o; sub/Kbuild:1: obj-m += x.o`.
std::string SourcesLine(const std::vector<SourceLine>& sources);

// Where a predicted finding stands after the build, one line:
// "confirmed: predicted from the .config before the build; ..." or
// "not confirmed: ...". "" for a finding that was not predicted.
std::string PredictionLine(const Finding& f);

// The finding's message, with each of FindingArtifacts it does not already
// name appended on its own line ("\n  drivers/a.mod"), so a format that
// points at no file still says which files the finding is about.
std::string MessageWithArtifacts(const Finding& f);

// A few words naming what the finding is about, as bytes: the module name,
// else the first path, else "finding #ID".
std::string FindingSubject(const Finding& f);

// What to do about this finding: the kind's advice, except for a coverage
// gap, whose advice is that of each of its causes (Finding::causes,
// proto/gap_cause.h).
std::string AdviceFor(const Finding& f);

// One sentence for an incomplete report: what it may have missed, with the
// coverage counts that are not zero ("1 queue overflow and 2 unwatched
// directories"; an audit's directories are unreadable, not unwatched).
std::string IncompleteSummary(const Report& report);

// Whether an evidence line names the event it rests on ("seq 44"): not in
// an audit, whose events are its own reads numbered by the walk, nor for a
// note made outside the analyzer (seq 0).
bool ShowsSeq(const Report& report, const Evidence& e);

// "job 30: CC [M] a/foo.o (make -j2, pid 812)", or "job 31: pid 90,
// exited before its command line was read": a job's heading (raw bytes:
// the caller makes it one display line).
std::string JobHeading(const JobRef& j);

// "105 events, 1 module": what the summary line counts.
std::string CountsOf(const Report& report);

}  // namespace modrace

#endif  // MODRACE_CLIENT_FINDING_PRESENTATION_H_

// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/text_format.h"

#include <sstream>

#include <doctest/doctest.h>

#include "client/format/format_testing.h"

namespace modrace {

TEST_CASE("text: one block per finding with what, where, how sure and what to do") {
  std::ostringstream out;
  RenderText(AsixReport(), out);
  const std::string s = out.str();
  CHECK(s.find("module_name_collision") != std::string::npos);
  CHECK(s.find("what to do:") != std::string::npos);
  CHECK(s.find("certain") != std::string::npos);
}

TEST_CASE("text: hostile bytes never reach the terminal raw, each field stays on its line") {
  std::ostringstream out;
  RenderText(HostileReport(), out);
  const std::string s = out.str();
  CHECK(s.find('\x1b') == std::string::npos);
  CHECK(s.find('\0') == std::string::npos);
  for (char c : s) CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t'));
}

TEST_CASE("text: an incomplete report says so") {
  Report r = CleanReport();
  r.complete = false;
  r.coverage.overflows = 2;
  std::ostringstream out;
  RenderText(r, out);
  CHECK(out.str().find("INCOMPLETE") != std::string::npos);
}

// A coverage gap of one cause, with the evidence its maker gives.
Report GapReport(GapCause cause, const std::string& what, bool complete) {
  Report r = CleanReport();
  r.complete = complete;
  Finding f;
  f.id = 1;
  f.kind = FindingKind::kCoverageGap;
  f.severity = Severity::kWarning;
  f.gap_causes = {cause};
  f.message = "a gap";
  f.evidence.push_back({3, "drivers", what, std::nullopt});
  r.findings.push_back(f);
  return r;
}

std::string AdviceLine(const Report& r) {
  std::ostringstream out;
  RenderText(r, out);
  const std::string s = out.str();
  const size_t at = s.find("what to do: ");
  REQUIRE(at != std::string::npos);
  return s.substr(at, s.find('\n', at) - at);
}

TEST_CASE("text: a coverage gap's advice follows its cause, not its words") {
  // The words of another cause change nothing: the cause says.
  const std::string overflow =
      AdviceLine(GapReport(GapCause::kLostEvents, "the watch limit was reached", false));
  CHECK(overflow.find("fs.inotify.max_queued_events") != std::string::npos);
  CHECK(overflow.find("max_user_watches") == std::string::npos);
  const std::string limit = AdviceLine(GapReport(GapCause::kWatchLimit, "d", false));
  CHECK(limit.find("fs.inotify.max_user_watches") != std::string::npos);
  CHECK(limit.find("max_queued_events") == std::string::npos);
  const std::string denied = AdviceLine(GapReport(GapCause::kUnwatchable, "d", false));
  CHECK(denied.find("run modrace as a user who can read") != std::string::npos);
  CHECK(denied.find("max_queued_events") == std::string::npos);
  const std::string unreadable = AdviceLine(GapReport(GapCause::kUnreadable, "a/x.mod", false));
  CHECK(unreadable.find("run modrace as a user who can read") != std::string::npos);
  // An audit of a tree without the arch's directory: complete, no coverage line.
  const Report arch = GapReport(GapCause::kNoArch, "could not read arch/sparc/Makefile", true);
  const std::string no_arch = AdviceLine(arch);
  CHECK(no_arch.find("no arch/ directory") != std::string::npos);
  std::ostringstream out;
  RenderText(arch, out);
  CHECK(out.str().find("INCOMPLETE") == std::string::npos);
  CHECK(out.str().find("coverage line") == std::string::npos);
  // Two causes: both remedies, the one they share once.
  Report both = GapReport(GapCause::kUnwatchable, "d", false);
  both.findings[0].gap_causes.push_back(GapCause::kUnreadable);
  both.findings[0].gap_causes.push_back(GapCause::kOversized);
  const std::string two = AdviceLine(both);
  CHECK(two.find("run modrace as a user") == two.rfind("run modrace as a user"));
  CHECK(two.find("no kbuild record is that large") != std::string::npos);
  // A report from before gaps carried their cause.
  Report old = GapReport(GapCause::kLostEvents, "kernel event queue overflowed", false);
  old.findings[0].gap_causes.clear();
  CHECK(AdviceLine(old).find("see the evidence") != std::string::npos);
}

TEST_CASE("text: the completeness line counts in English and names only what happened") {
  Report r = CleanReport();
  r.complete = false;
  r.coverage.overflows = 1;
  r.coverage.unwatched_dirs = 2;
  std::ostringstream out;
  RenderText(r, out);
  CHECK(out.str().find("INCOMPLETE: the report may miss races: 1 queue overflow and 2 unwatched "
                       "directories\n") != std::string::npos);
  CHECK(out.str().find("(ies)") == std::string::npos);
  CHECK(out.str().find("(s)") == std::string::npos);
}

TEST_CASE("text: says which backend watched, and so why no writer is named") {
  Report r = CleanReport();
  r.backend_reason = "auto chose inotify: fanotify needs CAP_SYS_ADMIN (root); inotify does not "
                     "say which process wrote, so no writer is named";
  std::ostringstream out;
  RenderText(r, out);
  CHECK(out.str().find("\nbackend: auto chose inotify: fanotify needs CAP_SYS_ADMIN (root); "
                       "inotify does not say which process wrote, so no writer is named\n") !=
        std::string::npos);
  r.backend_reason.clear();  // a report from before backend_reason
  std::ostringstream bare;
  RenderText(r, bare);
  CHECK(bare.str().find("\nbackend: inotify; inotify does not say which process wrote") !=
        std::string::npos);
  r.backend = "fanotify";
  std::ostringstream named;
  RenderText(r, named);
  CHECK(named.str().find("\nbackend: fanotify beside inotify: writers are named by pid") !=
        std::string::npos);
  r.backend = "audit";
  std::ostringstream audit;
  RenderText(r, audit);
  CHECK(audit.str().find("backend:") == std::string::npos);
}

}  // namespace modrace

namespace modrace {

TEST_CASE("text: a job whose processes exited before they were read says so, no empty recipe") {
  Report r = AsixReport();
  REQUIRE_FALSE(r.findings.empty());
  JobRef gone;
  gone.id = 81;
  gone.pids = {4242};
  gone.make_pid = 7;
  gone.make = "-C tree";
  r.findings[0].jobs.push_back(gone);
  std::ostringstream out;
  RenderText(r, out);
  const std::string s = out.str();
  CHECK(s.find("job 81: pid 4242, exited before its command line was read (make -C tree, pid 7)") !=
        std::string::npos);
  CHECK(s.find("recipe: \n") == std::string::npos);
}

}  // namespace modrace

namespace modrace {

TEST_CASE("text: a finding's Kbuild lines on one line, and whether its prediction held") {
  Report r = AsixReport();
  r.findings[0].sources = {{"Kbuild", 1, "obj-m += sub/ sub/x.o"}, {"sub/Kbuild", 1, "obj-m += x.o"}};
  r.findings[0].prediction = Prediction{true, "predicted from the .config before the build"};
  std::ostringstream out;
  RenderText(r, out);
  const std::string s = out.str();
  CHECK(s.find("\n  built by: Kbuild:1: obj-m += sub/ sub/x.o; sub/Kbuild:1: obj-m += x.o\n") !=
        std::string::npos);
  CHECK(s.find("\n  predicted, confirmed: predicted from the .config before the build\n") !=
        std::string::npos);
  r.findings[0].prediction->confirmed = false;
  std::ostringstream unconfirmed;
  RenderText(r, unconfirmed);
  CHECK(unconfirmed.str().find("predicted, not confirmed: ") != std::string::npos);
  // A finding with neither says neither.
  std::ostringstream plain;
  RenderText(AsixReport(), plain);
  CHECK(plain.str().find("built by:") == std::string::npos);
  CHECK(plain.str().find("predicted") == std::string::npos);
}

TEST_CASE("text: an evidence line that repeats a Kbuild line is not printed twice; no seq 0") {
  Report r = AsixReport();
  Finding& f = r.findings[0];
  f.sources = {{"Kbuild", 8, "obj-m += sub/ sub/x.o"}};
  f.evidence = {{0, "Kbuild", "Kbuild:8: obj-m += sub/ sub/x.o", std::nullopt},
                {12, "sub/x.mod", "sub/x.mod written twice", std::nullopt},
                {0, "", "a note without an event", std::nullopt}};
  std::ostringstream out;
  RenderText(r, out);
  const std::string s = out.str();
  CHECK(s.find("obj-m += sub/ sub/x.o") == s.rfind("obj-m += sub/ sub/x.o"));
  CHECK(s.find("  evidence (seq 12): sub/x.mod written twice\n") != std::string::npos);
  CHECK(s.find("  evidence: a note without an event\n") != std::string::npos);
  CHECK(s.find("seq 0") == std::string::npos);
  // An audit's events are its own reads: their numbers mean nothing to a reader.
  r.backend = "audit";
  std::ostringstream audit;
  RenderText(r, audit);
  CHECK(audit.str().find("(seq") == std::string::npos);
}

TEST_CASE("text: counts in English: 1 module, 1 event") {
  Report r = CleanReport();
  r.statistics.events = 1;
  r.statistics.modules_seen = 1;
  std::ostringstream out;
  RenderText(r, out);
  CHECK(out.str().find("(1 event, 1 module)") != std::string::npos);
}

TEST_CASE("text: one headline per cause, the other findings one line each") {
  std::ostringstream out;
  RenderText(KbuildTwiceReport(), out);
  const std::string s = out.str();
  // One block: one line at the margin naming a severity.
  size_t headlines = 0;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("error: ", 0) == 0 || line.rfind("warning: ", 0) == 0) ++headlines;
  }
  CHECK(headlines == 1);
  CHECK(s.rfind("error: write_hazard (certain)\n  sub/x.o is built twice: ", 0) == 0);
  CHECK(s.find("  built by: Kbuild:8: obj-m += sub/ sub/x.o") != std::string::npos);
  CHECK(s.find("\n  same cause: 7 more findings\n    write_hazard sub/.x.o.d: sub/.x.o.d is "
               "built twice: ") != std::string::npos);
  CHECK(s.find("\n    duplicate_module_path sub/x: sub/x.ko is built twice") != std::string::npos);
  CHECK(s.find("\nmodrace: 8 findings of 1 cause in /src/kbuild-twice\n") != std::string::npos);
  // The headline's own facts are there once, not each other finding's.
  CHECK(s.find("recipe: ") != std::string::npos);
  CHECK(s.find("what to do: ") == s.rfind("what to do: "));
}

TEST_CASE("text: a cause's others past the first 8 are left to the JSON report") {
  Report r = KbuildTwiceReport();
  for (uint64_t id = 9; id <= 12; ++id) {
    Finding f = r.findings[0];
    f.id = id;
    f.paths = {"sub/.x.o.tmp" + std::to_string(id)};
    r.findings.push_back(f);
  }
  std::ostringstream out;
  RenderText(r, out);
  const std::string s = out.str();
  CHECK(s.find("  same cause: 11 more findings\n") != std::string::npos);
  CHECK(s.find("\n    ... 3 more in the JSON report\n") != std::string::npos);
}

TEST_CASE("text: findings each of its own cause print no cause summary") {
  std::ostringstream out;
  RenderText(AsixReport(), out);
  CHECK(out.str().find(" findings of ") == std::string::npos);
  CHECK(out.str().find("same cause") == std::string::npos);
}

}  // namespace modrace

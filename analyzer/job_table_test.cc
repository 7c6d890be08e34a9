// SPDX-License-Identifier: GPL-2.0-only
// JobTable: a job whose shell was gone before it was read learns its recipe
// from a later event, and until then is named by its pid.

#include "analyzer/job_table.h"

#include <doctest/doctest.h>

namespace modrace {

namespace {

ProcessInfo Below(int32_t pid, std::vector<int32_t> ancestors, std::vector<std::string> cmdlines) {
  ProcessInfo p;
  p.pid = pid;
  p.ancestors = std::move(ancestors);
  p.ancestor_cmdlines = std::move(cmdlines);
  p.job_pid = 300;
  p.job_start_time = 70;
  p.make_start_time = 50;
  p.top_make_pid = 100;
  p.top_make_start_time = 50;
  return p;
}

}  // namespace

TEST_CASE("JobTable: a job seen first without its recipe takes it from a later event") {
  JobTable jobs;
  // The recipe's shell itself, read after it exited: no command line.
  ProcessInfo shell = Below(300, {100}, {"make -j2"});
  const Job* first = jobs.Observe(shell, 1);
  REQUIRE(first != nullptr);
  CHECK(first->recipe.empty());
  CHECK(first->Quoted() == "pid 300 (exited before its command line was read)");
  // Its compiler, alive, carries the shell's command line as an ancestor's.
  ProcessInfo cc = Below(310, {300, 100}, {"/bin/sh -c gcc -c x.c -o x.o", "make -j2"});
  const Job* later = jobs.Observe(cc, 2);
  REQUIRE(later == first);
  CHECK(later->recipe == "/bin/sh -c gcc -c x.c -o x.o");
  CHECK(later->Quoted() == "`gcc -o x.o`");  // JobShortName: the tool and its output
  CHECK(jobs.size() == 1);
}

TEST_CASE("JobTable: a recipe once known is kept") {
  JobTable jobs;
  ProcessInfo cc = Below(310, {300, 100}, {"/bin/sh -c gcc -c x.c -o x.o", "make -j2"});
  jobs.Observe(cc, 1);
  ProcessInfo other = Below(311, {300, 100}, {"", "make -j2"});
  const Job* job = jobs.Observe(other, 2);
  REQUIRE(job != nullptr);
  CHECK(job->recipe == "/bin/sh -c gcc -c x.c -o x.o");
}

}  // namespace modrace

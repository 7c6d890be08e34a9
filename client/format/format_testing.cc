// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/format_testing.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "analyzer/finding_causes.h"
#include "proto/bytes_json.h"
#include "proto/version.h"
#include "tests/schema_check.h"

namespace modrace {

namespace {

Finding MakeFinding(uint64_t id, FindingKind kind, Severity severity, std::string message) {
  Finding f;
  f.id = id;
  f.revision = 1;
  f.kind = kind;
  f.severity = severity;
  f.confidence = Confidence::kCertain;
  f.message = std::move(message);
  f.first_seq = id;
  f.last_seq = id;
  return f;
}

// A string literal's bytes, NULs included.
template <size_t N>
std::string Bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

}  // namespace

Report CleanReport() {
  Report r;
  r.schema = kReportSchema;
  r.tree = "/src/linux";
  r.backend = "inotify";
  r.statistics.events = 5000;
  r.statistics.modules_seen = 50;
  return r;
}

Report AsixReport() {
  Report r = CleanReport();
  r.complete = false;
  r.coverage.overflows = 1;
  Finding c = MakeFinding(1, FindingKind::kModuleNameCollision, Severity::kError,
                          "2 modules are named asix: drivers/net/usb/asix.ko, "
                          "drivers/net/phy/asix.ko; rename one of them");
  c.module = "asix";
  c.paths = {"drivers/net/usb/asix", "drivers/net/phy/asix"};
  c.evidence.push_back({10, ".tmp_versions/asix.mod", "the record names two modules",
                        Bytes("drivers/net/phy/asix.ko\n\0\0\0")});
  r.findings.push_back(c);
  Finding w = MakeFinding(2, FindingKind::kConcurrentWriters, Severity::kError,
                          ".tmp_versions/asix.mod was written by two handles at once");
  w.paths = {".tmp_versions/asix.mod"};
  w.writers.push_back({3, 8, std::nullopt});
  w.writers.push_back({5, 10, std::nullopt});
  r.findings.push_back(w);
  Finding d = MakeFinding(3, FindingKind::kDuplicateModulePath, Severity::kWarning,
                          "drivers/sub/x.ko is built twice; list it once");
  d.module = "x";
  d.paths = {"drivers/sub/x"};
  d.confidence = Confidence::kLikely;
  r.findings.push_back(d);
  Finding i =
      MakeFinding(4, FindingKind::kCoverageGap, Severity::kInfo, "1 artifact(s) could not be read");
  i.paths = {"/src/linux/drivers/a.mod"};
  r.findings.push_back(i);
  return r;
}

Report KbuildTwiceReport() {
  Report r = CleanReport();
  r.tree = "/src/kbuild-twice";
  r.backend = "fanotify";
  r.statistics.modules_seen = 1;
  for (uint64_t id : {3, 4}) {
    JobRef j;
    j.id = id;
    j.short_name = "CC [M]  sub/x.o";
    j.recipe = "gcc -Wp,-MMD,sub/.x.o.d -c -o sub/x.o sub/x.c";
    j.pids = {static_cast<int32_t>(100 + id)};
    j.make_pid = static_cast<int32_t>(90 + id);
    j.make = id == 3 ? "obj=." : "obj=sub";
    r.jobs.push_back(j);
  }
  const std::vector<SourceLine> sources = {{"Kbuild", 8, "obj-m += sub/ sub/x.o"},
                                           {"sub/Kbuild", 2, "obj-m += x.o"}};
  uint64_t id = 0;
  auto add = [&](FindingKind kind, Severity severity, const std::string& path,
                 const std::string& message) {
    Finding f = MakeFinding(++id, kind, severity, message);
    f.paths = {path};
    if (kind == FindingKind::kWriteHazard) f.jobs = r.jobs;
    f.sources = sources;
    f.evidence.push_back({id * 10, path, "written by two jobs", std::nullopt});
    r.findings.push_back(f);
  };
  const std::string why =
      " is built twice: `CC [M]  sub/x.o` ran under two makes, obj=. and obj=sub";
  for (const char* p : {"sub/.x.o.d", "sub/x.o", "sub/.x.o.cmd", "sub/x.mod", "sub/.x.mod.cmd"}) {
    add(FindingKind::kWriteHazard, Severity::kError, p, p + why);
  }
  for (const char* p : {"sub/x.o", "sub/x.mod"}) {
    add(FindingKind::kConcurrentWriters, Severity::kError, p,
        std::string(p) + " was written by two jobs at once: the module is built twice");
  }
  add(FindingKind::kDuplicateModulePath, Severity::kWarning, "sub/x",
      "sub/x.ko is built twice (one module path reached two ways, e.g. `obj-m += sub/ "
      "sub/x.o`); list it once");
  r.findings.back().module = "x";
  AssignCauses(r.findings);
  return r;
}

Report HostileReport() {
  Report r = CleanReport();
  r.tree = Bytes("/src/li nux&<\"'%:,\n::error::x\xff");
  r.complete = false;
  r.coverage.unwatched_dirs = 1;
  r.coverage.unwatched_examples = {Bytes("bad\xfe\0dir")};
  const std::string evil = Bytes("a\nb\rc\0d\x1b[31me<f&g>h\"i'j%k:l,m::n\xc3\x28o\xed\xa0\x80p");
  Finding c = MakeFinding(1, FindingKind::kModuleNameCollision, Severity::kError,
                          "two modules named " + evil + "\n::error::injected");
  c.module = evil;
  c.paths = {"drivers/" + evil, Bytes("drivers/x/\xff\xfe\xef\xbf\xbe"), "./rel/y",
             "/elsewhere/abs z"};
  c.evidence.push_back({7, "modules.order", "names " + evil, Bytes("x\0\0\xff]]>")});
  c.writers.push_back({1, 2, ProcessInfo{}});
  c.writers.back().process->pid = 42;
  c.writers.back().process->comm = "ma<k>e";
  c.writers.back().process->cmdline = "make -j8 &\n::warning::x";
  r.findings.push_back(c);
  Finding t = MakeFinding(2, FindingKind::kTornFile, Severity::kWarning, evil);
  t.paths = {evil};
  r.findings.push_back(t);
  Finding n = MakeFinding(3, FindingKind::kCoverageGap, Severity::kInfo, "%0A%25 already");
  r.findings.push_back(n);
  return r;
}

nlohmann::json RunPythonOnFile(const std::string& script, const std::string& input) {
  char path[] = "/tmp/modrace-format-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return nlohmann::json{{"error", "cannot create a temporary file"}};
  const bool written = write(fd, input.data(), input.size()) == static_cast<ssize_t>(input.size());
  close(fd);
  if (!written) {
    unlink(path);
    return nlohmann::json{{"error", "cannot write a temporary file"}};
  }
  const std::string cmd = "/usr/bin/python3 '" + script + "' '" + path + "' 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p != nullptr) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  unlink(path);
  try {
    return nlohmann::json::parse(out);
  } catch (const std::exception&) {
    return nlohmann::json{{"error", "not JSON from " + script + ": " + out}};
  }
}

nlohmann::json ParseJunit(const std::string& xml) {
  return RunPythonOnFile("client/format/testdata/junit_parse.py", xml);
}

nlohmann::json ParseGithub(const std::string& text) {
  return RunPythonOnFile("client/format/testdata/github_parse.py", text);
}

std::string CheckSarif(const std::string& sarif) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(sarif);
  } catch (const std::exception& e) {
    return std::string("not JSON: ") + e.what();
  }
  // The validator reads one document per line.
  return SchemaCheck("client/format/testdata/sarif-2.1.0-subset.schema.json", DumpLine(doc));
}

std::vector<std::string> TraceProblems(const nlohmann::json& trace) {
  std::vector<std::string> p;
  if (!trace.is_object() || !trace.contains("traceEvents") || !trace["traceEvents"].is_array()) {
    return {"no traceEvents array"};
  }
  if (trace.contains("displayTimeUnit") && trace["displayTimeUnit"] != "ms" &&
      trace["displayTimeUnit"] != "ns") {
    p.push_back("displayTimeUnit is neither ms nor ns");
  }
  using Lane = std::pair<int64_t, int64_t>;
  std::map<Lane, std::vector<std::pair<double, double>>> slices;
  std::map<uint64_t, std::vector<std::tuple<std::string, Lane, double>>> flows;
  const std::set<std::string> phases = {"M", "X", "i", "s", "f"};
  for (const auto& e : trace["traceEvents"]) {
    const std::string at = e.dump().substr(0, 120);
    if (!e.is_object() || !e.contains("ph") || !e["ph"].is_string()) {
      p.push_back("event without ph: " + at);
      continue;
    }
    const std::string ph = e["ph"];
    if (!phases.count(ph)) p.push_back("unknown ph: " + at);
    if (!e.contains("name") || !e["name"].is_string()) p.push_back("no name: " + at);
    if (!e.contains("pid") || !e["pid"].is_number_integer()) p.push_back("no integer pid: " + at);
    if (!e.contains("tid") || !e["tid"].is_number_integer()) p.push_back("no integer tid: " + at);
    if (ph == "M") {
      if (e.value("name", "") != "process_name" && e.value("name", "") != "thread_name") {
        p.push_back("unknown metadata: " + at);
      }
      if (!e.contains("args") || !e["args"].contains("name") || !e["args"]["name"].is_string()) {
        p.push_back("metadata without args.name: " + at);
      }
      continue;
    }
    if (!e.contains("ts") || !e["ts"].is_number() || e["ts"].get<double>() < 0) {
      p.push_back("no ts >= 0: " + at);
      continue;
    }
    if (p.size() > 20) break;
    const Lane lane{e.value("pid", int64_t{-1}), e.value("tid", int64_t{-1})};
    const double ts = e["ts"];
    if (ph == "X") {
      if (!e.contains("dur") || !e["dur"].is_number() || e["dur"].get<double>() < 0) {
        p.push_back("X without dur >= 0: " + at);
        continue;
      }
      slices[lane].emplace_back(ts, ts + e["dur"].get<double>());
    }
    if (ph == "i" && e.contains("s") && e["s"] != "t" && e["s"] != "p" && e["s"] != "g") {
      p.push_back("instant scope not t/p/g: " + at);
    }
    if (ph == "s" || ph == "f") {
      if (!e.contains("id") || !e["id"].is_number_integer()) {
        p.push_back("flow without id: " + at);
        continue;
      }
      if (ph == "f" && e.value("bp", "") != "e") p.push_back("flow end not bp e: " + at);
      flows[e["id"].get<uint64_t>()].emplace_back(ph, lane, ts);
    }
  }
  // Slices of one lane never overlap (a lane is one job slot).
  for (auto& [lane, s] : slices) {
    std::sort(s.begin(), s.end());
    for (size_t i = 1; i < s.size(); ++i) {
      if (s[i].first < s[i - 1].second) {
        p.push_back("overlapping slices on pid " + std::to_string(lane.first) + " tid " +
                    std::to_string(lane.second));
      }
    }
  }
  auto inside = [&](const Lane& lane, double ts) {
    for (const auto& [b, e] : slices[lane]) {
      if (b <= ts && ts <= e) return true;
    }
    return false;
  };
  for (const auto& [id, ends] : flows) {
    if (ends.size() != 2 || std::get<0>(ends[0]) != "s" || std::get<0>(ends[1]) != "f") {
      p.push_back("flow " + std::to_string(id) + " is not one s then one f");
      continue;
    }
    if (std::get<2>(ends[1]) < std::get<2>(ends[0])) {
      p.push_back("flow " + std::to_string(id) + " goes back in time");
    }
    for (const auto& [ph, lane, ts] : ends) {
      if (!inside(lane, ts)) p.push_back("flow " + std::to_string(id) + " end outside a slice");
    }
  }
  return p;
}

}  // namespace modrace

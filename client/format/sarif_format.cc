// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/sarif_format.h"

#include <cstdint>

#include "client/format/cause_groups.h"
#include "client/format/display_text.h"
#include "client/format/finding_presentation.h"
#include "proto/version.h"

namespace modrace {

namespace {

// Ordered: "$schema" and "version" first, "tool" before "results", as
// people reading a SARIF file expect; consumers do not care.
using json = nlohmann::ordered_json;

const char kSrcRoot[] = "SRCROOT";

// SARIF's result levels: error, warning, note.
std::string_view LevelOf(Severity s) { return s == Severity::kInfo ? "note" : SeverityName(s); }

json Text(std::string_view bytes) { return json{{"text", DisplayText(bytes)}}; }

bool IsAbsolute(std::string_view path) { return !path.empty() && path.front() == '/'; }

std::string WithSlash(std::string dir) {
  if (dir.empty() || dir.back() != '/') dir.push_back('/');
  return dir;
}

// A path inside the tree becomes a relative URI under SRCROOT, so a viewer
// resolves it against its own checkout; a path outside the tree (an
// external module built with M=) keeps its absolute file:// URI.
json ArtifactLocation(const std::string& path, const std::string& tree) {
  std::string rel = path;
  if (IsAbsolute(rel)) {
    const std::string root = WithSlash(tree);
    if (!IsAbsolute(tree) || rel.compare(0, root.size(), root) != 0) {
      return json{{"uri", "file://" + PercentEncodePath(rel)}};
    }
    rel = rel.substr(root.size());
  }
  while (rel.compare(0, 2, "./") == 0) rel = rel.substr(2);
  return json{{"uri", PercentEncodePath(rel)}, {"uriBaseId", kSrcRoot}};
}

// A fingerprint that stays the same across runs for the same problem (kind,
// module, paths), so code scanning tracks one alert instead of opening a new
// one each build. FNV-1a 64: stable and dependency-free; not a security hash.
std::string Fingerprint(const Finding& f) {
  uint64_t h = 14695981039346656037ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xFF;  // separator: ("ab","c") differs from ("a","bc")
    h *= 1099511628211ull;
  };
  mix(FindingKindName(f.kind));
  mix(f.module.value_or(""));
  for (const auto& p : f.paths) mix(p);
  static const char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = kDigits[h & 0xF];
  return out;
}

json Rules() {
  json rules = json::array();
  for (const FindingKindInfo& info : AllKindInfo()) {
    rules.push_back(json{
        {"id", std::string(info.name)},
        {"name", std::string(info.rule_name)},
        {"shortDescription", json{{"text", std::string(info.title)}}},
        {"fullDescription", json{{"text", std::string(info.summary)}}},
        {"help", json{{"text", "What to do: " + std::string(info.advice)}}},
        {"defaultConfiguration", json{{"level", std::string(LevelOf(info.default_severity))}}},
        {"properties", json{{"check", std::string(info.check)}}},
    });
  }
  return rules;
}

// A rule's index is its kind's row in the registry (AllKindInfo).
size_t RuleIndex(FindingKind kind) { return static_cast<size_t>(kind); }

// Every result has at least one location: GitHub code scanning rejects a
// file with a result that has none. The Kbuild and Makefile lines that build
// the module come first, as the lines a pull request can change; a finding
// without a known source line is located at its build outputs
// (FindingArtifacts, relative to the tree), whole files without a region;
// one that points at no file (an overflow gap) at the tree itself.
json Locations(const Finding& f, const std::string& tree) {
  json locations = json::array();
  for (const SourceLine& s : FindingSourceLines(f)) {
    locations.push_back(
        json{{"physicalLocation", json{{"artifactLocation", ArtifactLocation(s.file, tree)},
                                       {"region", json{{"startLine", s.line}}}}}});
  }
  if (locations.empty()) {
    for (const auto& a : FindingArtifacts(f)) {
      locations.push_back(
          json{{"physicalLocation", json{{"artifactLocation", ArtifactLocation(a, tree)}}}});
    }
  }
  if (locations.empty()) {
    locations.push_back(
        json{{"physicalLocation",
              json{{"artifactLocation", json{{"uri", "."}, {"uriBaseId", kSrcRoot}}}}}});
  }
  return locations;
}

// The other findings of a cause (docs/architecture.md, Causes): each one
// in properties.same_cause, at its first file as a related location, and
// the first few in the message after `message` (bytes).
void AddSameCause(const CauseGroup& g, const std::string& tree, const std::string& message,
                  json* result) {
  if (g.others.empty()) return;
  json same = json::array();
  json related = json::array();
  std::string text = "\nSame cause: " + std::to_string(g.others.size()) +
                     (g.others.size() == 1 ? " more finding" : " more findings");
  for (size_t i = 0; i < g.others.size(); ++i) {
    const Finding& o = *g.others[i];
    json files = json::array();
    const std::vector<std::string> artifacts = FindingArtifacts(o);
    for (const auto& a : artifacts) files.push_back(DisplayText(a));
    same.push_back(json{{"finding_id", o.id},
                        {"kind", std::string(FindingKindName(o.kind))},
                        {"severity", std::string(SeverityName(o.severity))},
                        {"message", DisplayText(o.message)},
                        {"files", std::move(files)}});
    if (i < kSameCauseShown) text += "\n  " + SameCauseLine(o);
    if (artifacts.empty() || artifacts.front().empty()) continue;
    related.push_back(json{
        {"id", related.size() + 1},
        {"physicalLocation", json{{"artifactLocation", ArtifactLocation(artifacts.front(), tree)}}},
        {"message", Text(SameCauseLine(o))},
    });
  }
  if (g.others.size() > kSameCauseShown) {
    text += "\n  ... " + std::to_string(g.others.size() - kSameCauseShown) +
            " more in properties.same_cause";
  }
  (*result)["message"] = Text(message + text);
  if (!related.empty()) (*result)["relatedLocations"] = std::move(related);
  (*result)["properties"]["same_cause"] = std::move(same);
}

json Result(const Finding& f, const std::string& tree) {
  json locations = Locations(f, tree);
  json properties = json{
      {"finding_id", f.id},
      {"severity", std::string(SeverityName(f.severity))},
      {"confidence", std::string(ConfidenceName(f.confidence))},
  };
  if (f.module) properties["module"] = DisplayText(*f.module);
  json outputs = json::array();
  for (const auto& a : FindingArtifacts(f)) outputs.push_back(DisplayText(a));
  properties["files"] = std::move(outputs);
  json evidence = json::array();
  for (const auto& e : f.evidence) {
    evidence.push_back(
        json{{"seq", e.seq}, {"path", DisplayText(e.path)}, {"what", DisplayText(e.what)}});
  }
  properties["evidence"] = std::move(evidence);
  return json{
      {"ruleId", std::string(FindingKindName(f.kind))},
      {"ruleIndex", RuleIndex(f.kind)},
      {"kind", "fail"},
      {"level", std::string(LevelOf(f.severity))},
      {"message", Text(MessageWithArtifacts(f))},
      {"locations", std::move(locations)},
      {"partialFingerprints", json{{"modraceFinding/v1", Fingerprint(f)}}},
      {"properties", std::move(properties)},
  };
}

json Invocation(const Report& report) {
  json invocation = json{{"executionSuccessful", true}};
  if (!report.complete) {
    invocation["toolExecutionNotifications"] = json::array({json{
        {"level", "warning"},
        {"descriptor", json{{"id", std::string(FindingKindName(FindingKind::kCoverageGap))}}},
        {"message", json{{"text", IncompleteSummary(report)}}},
    }});
  }
  return invocation;
}

}  // namespace

std::string PercentEncodePath(std::string_view bytes) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xF]);
    }
  }
  return out;
}

nlohmann::ordered_json SarifLog(const Report& report) {
  json results = json::array();
  // One result per cause: its headline (docs/architecture.md, Causes).
  for (const CauseGroup& g : GroupByCause(report.findings)) {
    json result = Result(*g.headline, report.tree);
    AddSameCause(g, report.tree, MessageWithArtifacts(*g.headline), &result);
    results.push_back(std::move(result));
  }

  // SARIF wants an absolute URI ending in '/' here. A tree that is not an
  // absolute path (a replay without --root) leaves SRCROOT to the viewer,
  // which resolves it against its checkout: that is what the spec allows.
  json src_root = json{{"description", Text("the tree modrace watched or audited")}};
  if (IsAbsolute(report.tree)) {
    src_root["uri"] = "file://" + PercentEncodePath(WithSlash(report.tree));
  }

  json coverage = json(nlohmann::json(report.coverage));
  json examples = json::array();
  for (const auto& e : report.coverage.unwatched_examples) examples.push_back(DisplayText(e));
  coverage["unwatched_examples"] = std::move(examples);

  json run = json{
      {"tool", json{{"driver",
                     json{
                         {"name", "modrace"},
                         {"version", kModraceVersion},
                         {"semanticVersion", kModraceVersion},
                         {"rules", Rules()},
                     }}}},
      {"originalUriBaseIds", json{{kSrcRoot, std::move(src_root)}}},
      {"invocations", json::array({Invocation(report)})},
      {"results", std::move(results)},
      {"properties",
       json{
           {"tree", DisplayText(report.tree)},
           {"backend", DisplayText(report.backend)},
           {"complete", report.complete},
           {"coverage", std::move(coverage)},
           {"statistics", json(nlohmann::json(report.statistics))},
       }},
  };
  return json{
      {"$schema", kSarifSchemaUri},
      {"version", "2.1.0"},
      {"runs", json::array({std::move(run)})},
  };
}

void RenderSarif(const Report& report, std::ostream& out) {
  // Every string went through DisplayText or PercentEncodePath already;
  // `replace` only guards against a future field that did not.
  out << SarifLog(report).dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

}  // namespace modrace

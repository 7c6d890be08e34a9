// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/junit_format.h"

#include <sstream>
#include <vector>

#include "client/format/display_text.h"
#include "client/format/finding_presentation.h"

namespace modrace {

namespace {

// Content excerpts are evidence, not the record: a short prefix shows what
// a torn file looks like; the JSON report has the full excerpt.
constexpr size_t kMaxContentBytes = 160;

struct Failure {
  std::string message;  // bytes; escaped when written
  std::string type;
  std::string body;
};

struct TestCase {
  std::string classname;
  std::string name;
  std::vector<Failure> failures;
};

// Continuation lines of a multi-line excerpt, indented under their label.
std::string Indented(const std::string& text) {
  std::string out;
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out += "    ";
  }
  return out;
}

std::string FailureBody(const Report& report, const Finding& f) {
  std::ostringstream body;
  body << "severity: " << SeverityName(f.severity)
       << ", confidence: " << ConfidenceName(f.confidence) << "\n";
  if (f.module) body << "module: " << *f.module << "\n";
  for (const auto& p : f.paths) body << "path: " << p << "\n";
  for (const auto& w : f.writers) {
    body << "writer: ";
    if (w.process) {
      body << "pid " << w.process->pid << " (" << w.process->comm << ") " << w.process->cmdline;
    } else {
      body << "handle opened by seq " << w.open_seq << ", closed at seq " << w.close_seq;
    }
    body << "\n";
  }
  for (const auto& e : f.evidence) {
    body << "evidence (";
    if (ShowsSeq(report, e)) body << "seq " << e.seq << ", ";
    body << e.path << "): " << e.what << "\n";
    if (e.content)
      body << "  content: " << Indented(DisplayExcerpt(*e.content, kMaxContentBytes)) << "\n";
  }
  body << "what to do: " << AdviceFor(f) << "\n";
  return body.str();
}

std::vector<TestCase> TestCases(const Report& report) {
  std::vector<TestCase> cases;
  for (const FindingKindInfo& info : AllKindInfo()) {
    const std::string classname = "modrace." + std::string(FindingKindName(info.kind));
    const size_t before = cases.size();
    for (const auto& f : report.findings) {
      if (f.kind != info.kind) continue;
      TestCase tc{classname, std::string(info.check) + ": " + FindingSubject(f), {}};
      tc.failures.push_back(
          Failure{f.message, std::string(FindingKindName(f.kind)), FailureBody(report, f)});
      cases.push_back(std::move(tc));
    }
    if (cases.size() != before) continue;
    TestCase tc{classname, std::string(info.check), {}};
    if (info.kind == FindingKind::kCoverageGap && !report.complete) {
      const std::string message = IncompleteSummary(report);
      tc.failures.push_back(Failure{message, std::string(FindingKindName(info.kind)),
                                    message + "\nwhat to do: " + std::string(info.advice) + "\n"});
    }
    cases.push_back(std::move(tc));
  }
  return cases;
}

void Property(std::ostream& out, const char* name, std::string_view value) {
  out << "      <property name=\"" << name << "\" value=\"" << XmlEscape(value) << "\"/>\n";
}

}  // namespace

std::string XmlEscape(std::string_view bytes, XmlContext context) {
  const bool attribute = context == XmlContext::kAttribute;
  const std::string text = DisplayText(bytes);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

void RenderJunit(const Report& report, std::ostream& out) {
  const std::vector<TestCase> cases = TestCases(report);
  size_t failures = 0;
  for (const auto& tc : cases) failures += tc.failures.empty() ? 0 : 1;
  const std::string counts = "tests=\"" + std::to_string(cases.size()) + "\" failures=\"" +
                             std::to_string(failures) + "\" errors=\"0\"";
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"modrace\" " << counts << ">\n";
  out << "  <testsuite name=\"modrace\" " << counts << " skipped=\"0\" time=\"0\">\n";
  out << "    <properties>\n";
  Property(out, "tree", report.tree);
  Property(out, "backend", report.backend);
  Property(out, "complete", report.complete ? "true" : "false");
  Property(out, "events", std::to_string(report.statistics.events));
  Property(out, "modules_seen", std::to_string(report.statistics.modules_seen));
  out << "    </properties>\n";
  for (const auto& tc : cases) {
    out << "    <testcase classname=\"" << XmlEscape(tc.classname) << "\" name=\""
        << XmlEscape(tc.name) << "\" time=\"0\"";
    if (tc.failures.empty()) {
      out << "/>\n";
      continue;
    }
    out << ">\n";
    for (const auto& f : tc.failures) {
      out << "      <failure message=\"" << XmlEscape(f.message) << "\" type=\""
          << XmlEscape(f.type) << "\">" << XmlEscape(f.body, XmlContext::kText) << "</failure>\n";
    }
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n";
  out << "</testsuites>\n";
}

}  // namespace modrace

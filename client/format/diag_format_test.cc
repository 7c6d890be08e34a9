// SPDX-License-Identifier: GPL-2.0-only
#include "client/format/diag_format.h"

#include <regex>
#include <sstream>

#include <doctest/doctest.h>

#include "client/format/format_testing.h"

namespace modrace {

namespace {

std::string Diag(const Report& r) {
  std::ostringstream out;
  RenderDiag(r, out);
  return out.str();
}

std::vector<std::string> LinesOf(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("diag: a finding with its Kbuild line is FILE:LINE: error: ... [modrace-KIND]") {
  Report r = AsixReport();
  r.complete = true;
  r.coverage = Coverage{};
  Finding& f = r.findings[0];
  REQUIRE(f.kind == FindingKind::kModuleNameCollision);
  f.sources = {{"drivers/net/usb/Makefile", 31, "obj-$(CONFIG_USB_NET_AX8817X) += asix.o"},
               {"drivers/net/phy/Makefile", 42, "obj-$(CONFIG_AX88796B_PHY) += asix.o"}};
  const std::vector<std::string> lines = LinesOf(Diag(r));
  REQUIRE(lines.size() >= 3);
  // What the kernel test robot and quickfix match.
  const std::regex compiler(R"(^[^ :]+:[0-9]+: error: .* \[modrace-module_name_collision\]$)");
  CHECK_MESSAGE(std::regex_match(lines[0], compiler), lines[0]);
  CHECK(lines[0].rfind("drivers/net/usb/Makefile:31: error: ", 0) == 0);
  const std::string all = Diag(r);
  CHECK(all.find("\ndrivers/net/phy/Makefile:42: note: also built by: "
                 "obj-$(CONFIG_AX88796B_PHY) += asix.o\n") != std::string::npos);
  CHECK(all.find("\ndrivers/net/usb/Makefile:31: note: what to do: ") != std::string::npos);
  for (const std::string& l : lines) {
    const bool diagnostic = l.find(": error: ") != std::string::npos ||
                            l.find(": warning: ") != std::string::npos ||
                            l.find(": note: ") != std::string::npos;
    CHECK_MESSAGE(diagnostic, l);
  }
}

TEST_CASE("diag: without a source line, the file the finding is about, no line number") {
  Report r = AsixReport();
  const std::string s = Diag(r);
  const std::vector<std::string> lines = LinesOf(s);
  REQUIRE_FALSE(lines.empty());
  // No Kbuild line known: the first artifact, relative to the tree.
  CHECK(std::regex_match(lines[0], std::regex(R"(^[^ :]+: error: .*\[modrace-[a-z_]+\]$)")));
  CHECK(lines[0].find(':') < lines[0].find(" error: "));
  CHECK(lines[0].find(r.tree) == std::string::npos);
  // Evidence and jobs are notes at the same place.
  const std::string place = lines[0].substr(0, lines[0].find(": error: "));
  CHECK(s.find("\n" + place + ": note: ") != std::string::npos);
}

TEST_CASE("diag: warnings and notes by severity; an incomplete report says so once; clean is silent") {
  Report r = AsixReport();
  r.findings[0].severity = Severity::kWarning;
  std::string s = Diag(r);
  CHECK(s.find(": warning: ") != std::string::npos);
  r.findings[0].severity = Severity::kInfo;
  r.findings.resize(1);
  s = Diag(r);
  CHECK(s.find(": error: ") == std::string::npos);
  // AsixReport is incomplete and has no coverage_gap finding: one line says so.
  REQUIRE_FALSE(r.complete);
  CHECK(s.find("modrace: warning: incomplete report: ") != std::string::npos);
  CHECK(Diag(CleanReport()).empty());
}

TEST_CASE("diag: hostile bytes stay on their line") {
  const std::string s = Diag(HostileReport());
  for (char c : s) {
    const bool printable = static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t';
    CHECK(printable);
  }
  for (const std::string& l : LinesOf(s)) {
    const bool diagnostic = l.find(": error: ") != std::string::npos ||
                            l.find(": warning: ") != std::string::npos ||
                            l.find(": note: ") != std::string::npos;
    CHECK_MESSAGE(diagnostic, l);
  }
}

TEST_CASE("diag: one error per cause, the others as its notes") {
  const std::vector<std::string> lines = LinesOf(Diag(KbuildTwiceReport()));
  size_t errors = 0, same = 0;
  for (const std::string& l : lines) {
    if (l.find(": error: ") != std::string::npos) ++errors;
    if (l.rfind("Kbuild:8: note: same cause: ", 0) == 0) ++same;
  }
  CHECK(errors == 1);
  CHECK(same == 7);
  REQUIRE(!lines.empty());
  CHECK(lines[0].rfind("Kbuild:8: error: sub/x.o is built twice: ", 0) == 0);
}

}  // namespace modrace

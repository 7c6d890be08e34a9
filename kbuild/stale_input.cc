// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/stale_input.h"

#include <algorithm>
#include <set>

#include "common/plural.h"
#include "common/strings.h"

namespace modrace {

namespace {

// "90 s", "1.5 s", "2 h 3 min": how much newer one file is than another.
std::string Span(int64_t ns) {
  const int64_t s = ns / 1000000000;
  if (s >= 3600) return std::to_string(s / 3600) + " h " + std::to_string(s % 3600 / 60) + " min";
  if (s >= 60) return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
  if (s >= 1) return std::to_string(s) + " s";
  return std::to_string(ns / 1000000) + " ms";
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// The lines of a symvers file whose module (third column) is vmlinux.
std::set<std::string_view> VmlinuxLines(std::string_view symvers) {
  std::set<std::string_view> out;
  while (!symvers.empty()) {
    const size_t nl = symvers.find('\n');
    const std::string_view line = symvers.substr(0, nl);
    symvers = nl == std::string_view::npos ? std::string_view() : symvers.substr(nl + 1);
    const size_t t1 = line.find('\t');
    const size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) continue;
    const size_t t3 = line.find('\t', t2 + 1);
    if (line.substr(t2 + 1, t3 == std::string_view::npos ? t3 : t3 - t2 - 1) == "vmlinux") {
      out.insert(line);
    }
  }
  return out;
}

Finding NewFinding(const std::string& path) {
  Finding f;
  f.kind = FindingKind::kStaleInput;
  f.severity = Severity::kWarning;
  f.paths = {path};
  return f;
}

void AddEvidence(Finding* f, const std::string& path, std::string what) {
  Evidence e;
  e.path = path;
  e.what = std::move(what);
  f->evidence.push_back(std::move(e));
}

// vmlinux, when modules get BTF against it (see the header).
std::optional<Finding> StaleVmlinux(const KernelDirFacts& k, std::string_view when) {
  if (!k.btf_modules || !k.vmlinux_mtime_ns) return std::nullopt;
  const int64_t linked = *k.vmlinux_mtime_ns;
  const bool other_release =
      k.uts_release && k.vmlinux_release && *k.uts_release != *k.vmlinux_release;
  const bool config_newer = k.auto_conf_mtime_ns && *k.auto_conf_mtime_ns > linked;
  std::vector<ChangedSymbol> symbols;
  for (const auto& s : k.newer_symbols) {
    if (s.mtime_ns > linked) symbols.push_back(s);
  }
  if (!other_release && !config_newer && symbols.empty()) return std::nullopt;

  const std::string path = k.dir + "/vmlinux";
  Finding f = NewFinding(path);
  f.confidence = other_release ? Confidence::kCertain : Confidence::kLikely;
  std::vector<std::string> why;
  if (other_release) {
    why.push_back("its banner says release " + Quoted(*k.vmlinux_release) +
                  ", include/generated/utsrelease.h " + Quoted(*k.uts_release));
    AddEvidence(&f, path,
                "vmlinux's banner is \"Linux version " + *k.vmlinux_release + " ...\" " +
                    std::string(when));
    AddEvidence(&f, k.dir + "/include/generated/utsrelease.h",
                "include/generated/utsrelease.h says UTS_RELEASE " + Quoted(*k.uts_release) + " " +
                    std::string(when));
  }
  if (config_newer) {
    why.push_back("include/config/auto.conf is " + Span(*k.auto_conf_mtime_ns - linked) + " newer");
    AddEvidence(&f, k.dir + "/include/config/auto.conf",
                "include/config/auto.conf written " + Span(*k.auto_conf_mtime_ns - linked) +
                    " after vmlinux was linked (modification times, " + std::string(when) + ")");
  }
  if (!symbols.empty()) {
    std::sort(symbols.begin(), symbols.end(),
              [](const ChangedSymbol& a, const ChangedSymbol& b) { return a.symbol < b.symbol; });
    std::string names;
    const size_t shown = std::min<size_t>(symbols.size(), 5);
    for (size_t i = 0; i < shown; ++i) {
      names += (i > 0 ? ", CONFIG_" : "CONFIG_") + symbols[i].symbol;
      AddEvidence(&f, k.dir + "/include/config/" + symbols[i].symbol,
                  "CONFIG_" + symbols[i].symbol + " changed " + Span(symbols[i].mtime_ns - linked) +
                      " after vmlinux was linked");
    }
    if (symbols.size() > shown) names += " and " + Counted(symbols.size() - shown, "more", "more");
    why.push_back("changed since: " + names);
  }
  std::string reasons;
  for (size_t i = 0; i < why.size(); ++i) reasons += (i > 0 ? "; " : "") + why[i];
  f.message = path + " is left from an earlier build of the kernel it belongs to (" + reasons +
              "): with CONFIG_DEBUG_INFO_BTF_MODULES every module's BTF is generated against "
              "it (scripts/Makefile.modfinal: pahole -J --btf_base vmlinux), and a kernel "
              "refuses a module whose BTF does not fit its own; run `make vmlinux` in " +
              k.dir + ", or build without CONFIG_DEBUG_INFO_BTF_MODULES";
  return f;
}

std::optional<Finding> StaleSymvers(const KernelDirFacts& k, std::string_view when) {
  if (!k.module_symvers_mtime_ns || !k.vmlinux_o_mtime_ns) return std::nullopt;
  const int64_t written = *k.module_symvers_mtime_ns;
  if (written >= *k.vmlinux_o_mtime_ns) return std::nullopt;
  // `make vmlinux` lists vmlinux.o's exports in vmlinux.symvers: when that
  // list is newer and the same, Module.symvers holds this vmlinux.o's CRCs.
  if (k.vmlinux_symvers_mtime_ns && *k.vmlinux_symvers_mtime_ns >= *k.vmlinux_o_mtime_ns &&
      k.module_symvers && k.vmlinux_symvers &&
      SymversAgreeOnVmlinux(*k.module_symvers, *k.vmlinux_symvers)) {
    return std::nullopt;
  }
  const std::string path = k.dir + "/Module.symvers";
  Finding f = NewFinding(path);
  f.confidence = Confidence::kLikely;
  const std::string older = Span(*k.vmlinux_o_mtime_ns - written);
  AddEvidence(&f, path,
              "Module.symvers written " + older +
                  " before vmlinux.o was last linked (modification times, " + std::string(when) +
                  ")");
  f.message = path + " was written " + older +
              " before vmlinux.o was last linked: modpost of a module build takes symbol CRCs "
              "and exports from it, those of an earlier build of the kernel; run `make modules` "
              "(or `make`) in " +
              k.dir + " to write it anew";
  return f;
}

}  // namespace

std::optional<std::string> ParseUtsRelease(std::string_view header) {
  constexpr std::string_view kDefine = "#define UTS_RELEASE \"";
  const size_t at = header.find(kDefine);
  if (at == std::string_view::npos) return std::nullopt;
  const size_t begin = at + kDefine.size();
  const size_t end = header.find('"', begin);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(header.substr(begin, end - begin));
}

std::optional<std::string> FindBannerRelease(std::string_view bytes) {
  constexpr std::string_view kBanner = "Linux version ";
  for (size_t at = bytes.find(kBanner); at != std::string_view::npos;
       at = bytes.find(kBanner, at + 1)) {
    const size_t begin = at + kBanner.size();
    if (begin >= bytes.size() || bytes[begin] < '0' || bytes[begin] > '9') continue;
    const size_t end = bytes.find_first_of(std::string_view(" \0", 2), begin);
    if (end == std::string_view::npos) return std::nullopt;  // cut off: read more
    return std::string(bytes.substr(begin, end - begin));
  }
  return std::nullopt;
}

bool SymversAgreeOnVmlinux(std::string_view module_symvers, std::string_view vmlinux_symvers) {
  return VmlinuxLines(module_symvers) == VmlinuxLines(vmlinux_symvers);
}

std::vector<Finding> StaleInputFindings(const KernelDirFacts& facts, std::string_view when) {
  std::vector<Finding> out;
  if (auto f = StaleVmlinux(facts, when)) out.push_back(std::move(*f));
  if (auto f = StaleSymvers(facts, when)) out.push_back(std::move(*f));
  return out;
}

}  // namespace modrace

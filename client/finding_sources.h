// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_FINDING_SOURCES_H_
#define MODRACE_CLIENT_FINDING_SOURCES_H_

// Pure: the Kbuild/Makefile lines that build the modules a finding is about
// (docs/architecture.md, Predictions). The audit of a source tree knows, for
// every module path, the lines that build it; `modrace run` after the build
// and `modrace audit` of a built source tree give each finding those lines,
// so a clash points at the Kbuild line whether or not the tree was cleaned.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "proto/report.h"

namespace modrace {

// Module path ("sub/x") -> the Kbuild/Makefile lines that build it.
using ModuleSources = std::map<std::string, std::vector<SourceLine>>;

// The module path a file of a finding belongs to: "sub/x" itself,
// "sub/x.o", "sub/.x.o.cmd", "sub/x.mod" -> "sub/x".
std::string ModulePathOfFile(std::string_view path);

// `lines` appended to `out`, each file:line once.
void AddSourceLines(const std::vector<SourceLine>& lines, std::vector<SourceLine>* out);

// The lines that build the modules `f` is about: those of its paths, else
// those of every module of its name ('-' and '_' alike).
std::vector<SourceLine> SourcesOf(const Finding& f, const ModuleSources& sources);

// Every finding without sources gains SourcesOf.
void AttachSources(const ModuleSources& sources, std::vector<Finding>* findings);

}  // namespace modrace

#endif  // MODRACE_CLIENT_FINDING_SOURCES_H_

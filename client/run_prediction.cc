// SPDX-License-Identifier: GPL-2.0-only
#include "client/run_prediction.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "client/audit.h"
#include "client/elapsed_time.h"
#include "client/make_command.h"
#include "client/format/finding_presentation.h"
#include "common/file_kind.h"

namespace modrace {

namespace {

// A make command line's NAME=VALUE arguments (RENAME=1), which override the
// tree's own variables; ARCH= picks the arch/ directory of a kernel tree.
void AddMakeVariables(const std::vector<std::string>& command, const std::string& tree,
                      AuditOptions* options) {
  if (!IsMake(command)) return;
  for (size_t i = 1; i < command.size(); ++i) {
    const std::string& a = command[i];
    const size_t eq = a.find('=');
    if (eq == 0 || eq == std::string::npos || a[0] == '-') continue;
    const std::string name = a.substr(0, eq);
    const bool word = std::all_of(name.begin(), name.end(), [](char c) {
      return isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    if (!word) continue;
    if (name == "ARCH") {
      if (IsDirectory(tree + "/arch")) options->arch = a.substr(eq + 1);
      continue;
    }
    options->make_variables[name] = a.substr(eq + 1);
  }
}

}  // namespace

RunPrediction PredictBeforeBuild(const std::string& tree, const std::vector<std::string>& command) {
  RunPrediction out;
  const double started = NowSeconds();
  if (!IsRegularFile(tree + "/Kbuild") && !IsRegularFile(tree + "/Makefile")) {
    out.skipped = "no Kbuild or Makefile at the top of the tree";
    return out;
  }
  out.config = FindBuildConfig(tree, command);
  AuditOptions options;
  options.tree = tree;
  options.config_file = out.config;
  AddMakeVariables(command, tree, &options);
  const bool kernel = IsRegularFile(tree + "/Kconfig");
  if (out.config.empty() && kernel) {
    // A kernel tree without .config builds no modules; reading every
    // Kconfig for a latent audit would only cost time.
    out.skipped = "no .config";
    return out;
  }
  AuditResult audit = RunAudit(options);
  out.seconds = NowSeconds() - started;
  if (!audit.ok || !audit.source_tree) {
    out.skipped = audit.ok ? "not a kbuild source tree" : audit.error;
    return out;
  }
  out.sources = std::move(audit.module_sources);
  if (!out.config.empty()) out.clashes = PredictClashes(audit.modules, out.sources, out.config);
  return out;
}

std::string FindBuildConfig(const std::string& tree, const std::vector<std::string>& command) {
  if (IsRegularFile(tree + "/.config")) return tree + "/.config";
  const std::string m = MakeVariableOf(command, "M");
  const std::string k = MakeDirectoryOf(command);
  if (m.empty() || k.empty() || RealPath(m) != RealPath(tree)) return "";
  return IsRegularFile(k + "/.config") ? k + "/.config" : "";
}

std::string DescribePredictions(const RunPrediction& p) {
  if (p.clashes.empty()) return "";
  char took[32];
  snprintf(took, sizeof took, "%.2f s", p.seconds);
  std::string out = "modrace run: predicted from " + p.config + " (audit " + took +
                    "), before the build:\n";
  for (const Finding& f : p.clashes) {
    out += "  error: module_name_collision (likely, predicted): " + *f.module + ":";
    for (size_t i = 0; i < f.paths.size(); ++i) out += (i ? ", " : " ") + f.paths[i] + ".ko";
    out += "\n";
    if (!f.sources.empty()) out += "    built by: " + SourcesLine(f.sources) + "\n";
  }
  return out;
}

}  // namespace modrace

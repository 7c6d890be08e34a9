// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_AUDIT_H_
#define MODRACE_CLIENT_AUDIT_H_

// `modrace audit TREE`: module name clashes found without building.
//
// One engine with the live analyzer (docs/architecture.md, Rules): the
// walk feeds every kbuild artifact (modules.order, dir/*.mod,
// .tmp_versions/*.mod, *.ko) to the Analyzer as a kExisting event with its
// content, as the daemon's start-up scan does, and reports its findings:
// module_name_collision, duplicate_module_path, torn_file, clobbered_file,
// and coverage_gap for artifacts it could not read.
//
// Source trees (a top-level Kbuild or Makefile): kbuild/source_tree.h
// predicts the modules (kbuild's descent, Kconfig, --config), read through
// this walk's files; kbuild/predicted_findings.h judges the prediction.
// Without a config a latent clash is a warning; with --config an error.
// Predictions are "likely".
//
// --against DIR: tree modules whose names (with '-' and '_' equal, as
// modprobe treats them) match an installed *.ko, *.ko.xz, *.ko.zst or
// *.ko.gz under DIR: a warning each.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "proto/report.h"

namespace modrace {

struct AuditOptions {
  std::string tree;
  std::string config_file;  // "" for a latent audit
  std::string arch;         // "" for the host's; else the tree must have arch/SRCARCH
  std::string against;      // "" for none
  // Source trees: variables a make command line sets ("RENAME" -> "1"),
  // over the tree's own, as make's command-line variables are.
  std::map<std::string, std::string> make_variables;
  // Called now and then with a one-line status; may be empty.
  std::function<void(std::string_view)> progress;
};

struct AuditResult {
  bool ok = false;
  std::string error;  // set when !ok: bad input (exit 2), or the tree cannot be read
  bool could_not_run = false;  // !ok because TREE itself cannot be read (exit 3)
  Report report;
  // Predicted module files "dir/name.ko", sorted (source trees); for a tree
  // with no kbuild source, the built modules instead.
  std::vector<std::string> modules;
  // Source trees: module path ("sub/x", as in `modules`) -> every
  // Kbuild/Makefile line that builds it, in descent order (two lines: two
  // recursive makes build it).
  std::map<std::string, std::vector<SourceLine>> module_sources;
  bool source_tree = false;
  bool built_tree = false;
  std::string srcarch;  // the arch directory used ("x86")
};

AuditResult RunAudit(const AuditOptions& options);

// "x86_64" -> "x86", "i386" -> "x86", "aarch64" -> "arm64", ... (the
// kernel's SUBARCH/SRCARCH mapping); "" gives the host's.
std::string SrcArchOf(std::string_view arch);

}  // namespace modrace

#endif  // MODRACE_CLIENT_AUDIT_H_

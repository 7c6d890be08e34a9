#ifndef MODRACE_CLIENT_AUDIT_H_
#define MODRACE_CLIENT_AUDIT_H_

// `modrace audit TREE`: module name clashes found without building.
//
// Built trees: every modules.order (nested ones too), dir/*.mod,
// .tmp_versions/*.mod and *.ko give module paths; two paths of one name are
// a module_name_collision (error, certain), a path listed twice in one
// modules.order a duplicate_module_path, NUL bytes or two modules' objects
// in a .tmp_versions file a torn_file, a .tmp_versions/NAME.mod that can
// only record one of several NAME modules a clobbered_file.
//
// Source trees (a top-level Kbuild or Makefile): kbuild's descent is
// replayed from the top Kbuild (6.1: obj-y dirs plus the arch Makefile's
// core-y/libs-y/drivers-y), or from the top Makefile's init-y/core-y/...
// (older kernels), or from the tree's own Kbuild/Makefile (an out-of-tree
// module). Without a config the symbol types from Kconfig decide what
// could be a module (a latent clash is a warning); with --config the
// .config decides (a clash is an error). Predictions are "likely".
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

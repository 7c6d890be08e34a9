// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_ARTIFACT_PATH_H_
#define MODRACE_ANALYZER_ARTIFACT_PATH_H_

// Which kbuild artifact a path is, by name alone (docs/kbuild.md):
//   .tmp_versions/foo.mod  old (pre-5.3) module record, named by basename
//   dir/foo.mod            5.3+ module record, next to the objects
//   dir/foo.ko             a linked module
//   dir/modules.order      the modules a directory built, one per line
// Paths are relative to the watched root, '/'-separated.

#include <string>
#include <string_view>
#include <vector>

namespace modrace {

enum class ArtifactKind {
  kOther,
  kOldModRecord,   // .tmp_versions/NAME.mod (at any depth: M= builds)
  kNewModRecord,   // DIR/NAME.mod outside .tmp_versions
  kKernelObject,   // DIR/NAME.ko
  kModulesOrder,   // DIR/modules.order
};

ArtifactKind ClassifyArtifact(std::string_view path);

// True for artifacts whose content the daemon should read at close-write,
// moved-to and scan time (the analyzer checks their content).
bool WantsContent(std::string_view path);

// "drivers/net/phy/asix.ko" -> "asix"; "asix.mod" -> "asix".
std::string_view ModuleNameOf(std::string_view module_path);

// Normalizes a module path as kbuild artifacts spell it ("./a/foo.ko",
// "kernel/a/foo.ko", "a/foo.o", "/abs/root/a/foo.ko") to the module's
// identity "a/foo", relative to the watched root. Absolute paths under
// `root` are made relative; others stay absolute. A relative path is
// relative to `anchor`, the directory (relative to the watched root, ""
// for the root itself) its artifact says it belongs to: see the anchor
// functions below. Returns "" for a string that names no module (empty, or
// without a .ko/.o/.mod suffix).
std::string NormalizeModulePath(std::string_view spelled, std::string_view root,
                                std::string_view anchor = {});

// Paths inside artifacts (docs/kbuild.md, "Paths inside artifacts").
// kbuild writes the paths inside its records relative to the directory make
// builds in, the top of the build's output (or absolute with an absolute
// M=), not to the directory modrace watches. Each artifact shows its own
// anchor:
//   DIR/NAME.ko, DIR/NAME.mod (5.3+)  the artifact's own path is the
//       identity; nothing inside it is read as a module path.
//   X/.tmp_versions/NAME.mod  line 1 is relative to X, the directory holding
//       .tmp_versions (the top of the build, or the M= directory).
//   D/modules.order  every line is relative to the top of the build T, and
//       D is T or a directory under it whose own file lists only modules
//       under D (6.1 and 4.x alike). T is D minus the longest run of D's
//       last components that every relative line starts with; "" (the
//       watched root) when all of D is that run. A top modules.order whose
//       every line starts with the tree's own directory name (a tree
//       named "drivers" watched from its parent) reads as per-directory.

// X for "X/.tmp_versions/NAME.mod" ("" for ".tmp_versions/NAME.mod").
std::string_view OldRecordAnchor(std::string_view record_path);

// T for the D/modules.order at `order_path`, given its lines as
// NormalizeModulePath(line, root) gave them (absolute ones are ignored).
std::string ModulesOrderAnchor(std::string_view order_path,
                               const std::vector<std::string>& listed);

// The directory part of a relative path ("a/b/c.mod" -> "a/b", "c" -> "").
std::string_view DirOf(std::string_view path);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_ARTIFACT_PATH_H_

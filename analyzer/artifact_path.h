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
// identity "a/foo". kbuild writes these relative to the top of the build,
// which is the watched root. Absolute paths under `root` are made relative;
// others stay absolute. Returns "" for a string that names no module
// (empty, or without a .ko/.o/.mod suffix).
std::string NormalizeModulePath(std::string_view spelled, std::string_view root);

// The directory part of a relative path ("a/b/c.mod" -> "a/b", "c" -> "").
std::string_view DirOf(std::string_view path);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_ARTIFACT_PATH_H_

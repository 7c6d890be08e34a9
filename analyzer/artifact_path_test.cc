// SPDX-License-Identifier: GPL-2.0-only
#include "analyzer/artifact_path.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace modrace {

TEST_CASE("artifacts are told apart by name") {
  CHECK(ClassifyArtifact(".tmp_versions/asix.mod") == ArtifactKind::kOldModRecord);
  CHECK(ClassifyArtifact("ext/.tmp_versions/asix.mod") == ArtifactKind::kOldModRecord);
  CHECK(ClassifyArtifact("drivers/net/usb/asix.mod") == ArtifactKind::kNewModRecord);
  CHECK(ClassifyArtifact("asix.mod") == ArtifactKind::kNewModRecord);
  CHECK(ClassifyArtifact("drivers/net/usb/asix.ko") == ArtifactKind::kKernelObject);
  CHECK(ClassifyArtifact("drivers/modules.order") == ArtifactKind::kModulesOrder);
  CHECK(ClassifyArtifact("modules.order") == ArtifactKind::kModulesOrder);
  CHECK(ClassifyArtifact("drivers/net/usb/asix.mod.c") == ArtifactKind::kOther);
  CHECK(ClassifyArtifact("drivers/net/usb/asix.mod.o") == ArtifactKind::kOther);
  CHECK(ClassifyArtifact("drivers/net/usb/.asix.mod.cmd") == ArtifactKind::kOther);
  CHECK(ClassifyArtifact("dir/.mod") == ArtifactKind::kOther);
  CHECK(ClassifyArtifact("dir/.ko") == ArtifactKind::kOther);
  CHECK(WantsContent("a/b.mod"));
  CHECK(WantsContent("modules.order"));
  CHECK_FALSE(WantsContent("a/b.ko"));
  CHECK_FALSE(WantsContent("a/b.o"));
}

TEST_CASE("module names and paths are normalized as kbuild spells them") {
  CHECK(ModuleNameOf("drivers/net/phy/asix.ko") == "asix");
  CHECK(ModuleNameOf("asix.mod") == "asix");
  CHECK(NormalizeModulePath("drivers/net/phy/asix.ko", "") == "drivers/net/phy/asix");
  CHECK(NormalizeModulePath("./drivers/net/phy/asix.o", "") == "drivers/net/phy/asix");
  CHECK(NormalizeModulePath("kernel/drivers/net/phy/asix.ko", "") == "drivers/net/phy/asix");
  CHECK(NormalizeModulePath("/home/u/ext/a/foo.ko", "/home/u/ext") == "a/foo");
  CHECK(NormalizeModulePath("/home/u/ext/a/foo.ko", "/home/u/ext/") == "a/foo");
  CHECK(NormalizeModulePath("/other/a/foo.ko", "/home/u/ext") == "/other/a/foo");
  CHECK(NormalizeModulePath("  a/foo.ko \r", "") == "a/foo");
  CHECK(NormalizeModulePath("", "") == "");
  CHECK(NormalizeModulePath("README", "") == "");
  CHECK(NormalizeModulePath(".ko", "") == "");
  CHECK(DirOf("a/b/c.mod") == "a/b");
  CHECK(DirOf("c.mod") == "");
}

TEST_CASE("paths inside artifacts are resolved against the artifact's anchor") {
  CHECK(OldRecordAnchor(".tmp_versions/asix.mod") == "");
  CHECK(OldRecordAnchor("r/.tmp_versions/asix.mod") == "r");
  CHECK(OldRecordAnchor("a/b/.tmp_versions/asix.mod") == "a/b");
  CHECK(NormalizeModulePath("drivers/net/phy/asix.ko", "", "r") == "r/drivers/net/phy/asix");
  CHECK(NormalizeModulePath("./drivers/asix.ko", "", "r") == "r/drivers/asix");
  CHECK(NormalizeModulePath("kernel/drivers/asix.ko", "", "a/r") == "a/r/drivers/asix");
  CHECK(NormalizeModulePath("../ext/foo.ko", "", "w/linux") == "w/ext/foo");
  // Absolute paths never take the anchor: under the root they are cut to it.
  CHECK(NormalizeModulePath("/w/ext/foo.ko", "/w", "ext") == "ext/foo");
  CHECK(NormalizeModulePath("/x/foo.ko", "/w", "ext") == "/x/foo");
  using V = std::vector<std::string>;
  CHECK(ModulesOrderAnchor("modules.order", V{"a/foo", "b/foo"}) == "");
  CHECK(ModulesOrderAnchor("r/modules.order", V{"drivers/net/foo"}) == "r");
  CHECK(ModulesOrderAnchor("r/drivers/net/modules.order", V{"drivers/net/phy/a"}) == "r");
  CHECK(ModulesOrderAnchor("drivers/net/modules.order", V{"drivers/net/phy/a"}) == "");
  CHECK(ModulesOrderAnchor("r/drivers/modules.order", V{"drivers/a", "fs/b"}) == "r/drivers");
  // "drivers/netx/a" does not start with the component "drivers/net".
  CHECK(ModulesOrderAnchor("r/drivers/net/modules.order", V{"drivers/netx/a"}) == "r/drivers/net");
  // No relative line: the file's own directory.
  CHECK(ModulesOrderAnchor("ext/modules.order", V{"/abs/ext/a", ""}) == "ext");
  CHECK(ModulesOrderAnchor("ext/modules.order", V{}) == "ext");
}

}  // namespace modrace

#include "analyzer/artifact_path.h"

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

}  // namespace modrace

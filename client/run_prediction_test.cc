// SPDX-License-Identifier: GPL-2.0-only
// run's look before the build on real directories: which .config a build
// reads, the audit beside it, and what stderr says.

#include "client/run_prediction.h"

#include <doctest/doctest.h>

#include "common/test_tree.h"

namespace modrace {

TEST_CASE("the build's .config: the tree's own, else K/.config of make -C K M=TREE") {
  TestTree tree, kernel;
  kernel.Write(".config", "CONFIG_FOO=m\n");
  const std::string k = kernel.root(), t = tree.root();
  CHECK(FindBuildConfig(t, {"make", "-C", k, "M=" + t, "modules"}) == k + "/.config");
  CHECK(FindBuildConfig(t, {"make", "-C" + k, "M=" + t}) == k + "/.config");
  CHECK(FindBuildConfig(t, {"make", "--directory=" + k, "M=" + t + "/"}) == k + "/.config");
  // M= names another tree, or no M= at all: not this tree's build.
  CHECK(FindBuildConfig(t, {"make", "-C", k, "M=" + k}) == "");
  CHECK(FindBuildConfig(t, {"make", "-C", k}) == "");
  CHECK(FindBuildConfig(t, {"make", "-C", t + "/none", "M=" + t}) == "");
  tree.Write(".config", "CONFIG_FOO=y\n");
  CHECK(FindBuildConfig(t, {"make", "-C", k, "M=" + t}) == t + "/.config");
}

TEST_CASE("the audit before the build: the clashes the config builds, and every module's lines") {
  TestTree tree, kernel;
  tree.Write("Kbuild",
             "obj-$(CONFIG_FOO) += a/foo.o\n"
             "ifneq ($(RENAME),1)\n"
             "obj-m += b/foo.o\n"
             "endif\n"
             "obj-m += c/bar.o\n");
  const std::vector<std::string> make = {"make", "-C", kernel.root(), "M=" + tree.root()};
  SUBCASE("CONFIG_FOO=m: a/foo and b/foo clash") {
    kernel.Write(".config", "CONFIG_FOO=m\n");
    const RunPrediction p = PredictBeforeBuild(tree.root(), make);
    CHECK(p.config == kernel.root() + "/.config");
    REQUIRE(p.clashes.size() == 1);
    CHECK(p.clashes[0].paths == std::vector<std::string>{"a/foo", "b/foo"});
    CHECK(p.sources.at("c/bar")[0].line == 5);
    const std::string said = DescribePredictions(p);
    CHECK(said.find("modrace run: predicted from " + kernel.root() + "/.config (audit ") == 0);
    CHECK(said.find("\n  error: module_name_collision (likely, predicted): foo: a/foo.ko, "
                    "b/foo.ko\n    built by: Kbuild:1: obj-$(CONFIG_FOO) += a/foo.o; Kbuild:3: "
                    "obj-m += b/foo.o\n") != std::string::npos);
  }
  SUBCASE("CONFIG_FOO unset: nothing to say, the lines still known") {
    kernel.Write(".config", "CONFIG_BAR=y\n");
    const RunPrediction p = PredictBeforeBuild(tree.root(), make);
    CHECK(p.clashes.empty());
    CHECK(DescribePredictions(p).empty());
    CHECK(p.sources.count("b/foo") == 1);
  }
  SUBCASE("make's RENAME=1 counts, as make's command-line variables do") {
    kernel.Write(".config", "CONFIG_FOO=m\n");
    std::vector<std::string> renamed = make;
    renamed.push_back("RENAME=1");
    CHECK(PredictBeforeBuild(tree.root(), renamed).clashes.empty());
  }
  SUBCASE("no .config: no prediction, the lines from every config") {
    const RunPrediction p = PredictBeforeBuild(tree.root(), make);
    CHECK(p.config.empty());
    CHECK(p.clashes.empty());
    CHECK(p.sources.count("a/foo") == 1);
  }
}

TEST_CASE("nothing read: a kernel tree without .config, a tree without kbuild files") {
  TestTree kernel, plain;
  kernel.Write("Kconfig", "config FOO\n\ttristate \"foo\"\n");
  kernel.Write("Kbuild", "obj-m += foo.o\n");
  const RunPrediction k = PredictBeforeBuild(kernel.root(), {"make"});
  CHECK(k.skipped == "no .config");
  CHECK(k.sources.empty());
  plain.Write("build.sh", "true\n");
  CHECK(PredictBeforeBuild(plain.root(), {"sh", "build.sh"}).skipped ==
        "no Kbuild or Makefile at the top of the tree");
}

}  // namespace modrace

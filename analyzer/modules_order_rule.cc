// SPDX-License-Identifier: GPL-2.0-only
// `modules.order` files (docs/architecture.md, Rules): each line claims a
// module path for the file (a rewrite replaces what it said before); two
// paths of one name are a module_name_collision, one path listed twice a
// duplicate_module_path, and broken lines a torn_file.

#include <memory>
#include <string>
#include <vector>

#include "analyzer/duplicate_module_path.h"
#include "analyzer/module_name_collision.h"
#include "analyzer/modules_order.h"
#include "analyzer/rule.h"
#include "analyzer/torn_file.h"

namespace modrace {

namespace {

class ModulesOrderRule : public Rule {
 public:
  Wants wants() const override {
    Wants w;
    w.artifacts = Bit(ArtifactKind::kModulesOrder);
    return w;
  }

  void OnEvent(EventView& v, RuleContext& ctx) override {
    if (!v.has_content()) return;
    const FsEvent& e = v.event;
    const ModulesOrder order = ParseModulesOrder(*e.content, ctx.root, e.path);
    if (order.problems.Torn()) ReportTorn(ctx, e, order.problems);
    ctx.index.WithdrawSource(e.path);
    std::vector<std::string> names;
    for (const auto& path : order.modules) names.push_back(ctx.index.Claim(path, e.path));
    for (const auto& name : names) CheckCollision(ctx, name, e, e.path);
    for (const auto& dup : order.duplicates) {
      ReportDuplicate(ctx, dup, e, Confidence::kCertain,
                      e.path + " lists " + dup + ".ko more than once");
    }
  }

  void Reset() override {}
};

}  // namespace

std::unique_ptr<Rule> MakeModulesOrderRule() { return std::make_unique<ModulesOrderRule>(); }

}  // namespace modrace

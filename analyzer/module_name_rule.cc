// SPDX-License-Identifier: GPL-2.0-only
// The module names of `.ko` files and new `.mod` records (docs/
// architecture.md, Rules): each claims its module path in the index, and
// two paths of one name are a module_name_collision
// (module_name_collision.cc); a new record's content may be torn.
//
// A rename's two halves reach the rules one right after the other (the
// kernel queues IN_MOVED_FROM and IN_MOVED_TO together): a .ko moved in
// with the name of the .ko moved out just before is that module, moved
// (dkms moves each built .ko out of its Kbuild directory).

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "analyzer/artifact_path.h"
#include "analyzer/mod_record.h"
#include "analyzer/module_name_collision.h"
#include "analyzer/rule.h"
#include "analyzer/torn_file.h"

namespace modrace {

namespace {

class ModuleNameRule : public Rule {
 public:
  Wants wants() const override {
    Wants w;
    w.events = Bit(EventKind::kDelete) | Bit(EventKind::kMovedFrom);
    w.artifacts = Bit(ArtifactKind::kKernelObject) | Bit(ArtifactKind::kNewModRecord);
    return w;
  }

  void OnEvent(EventView& v, RuleContext& ctx) override {
    const FsEvent& e = v.event;
    if (e.kind == EventKind::kDelete || e.kind == EventKind::kMovedFrom) {
      OnRemoved(v, ctx);
      return;
    }
    if (e.kind == EventKind::kModify) return;
    std::string module_path = NormalizeModulePath(e.path, ctx.root);
    if (module_path.empty()) return;
    if (v.artifact == ArtifactKind::kKernelObject && e.kind == EventKind::kMovedTo) {
      module_path = MovedModulePath(e, ctx, std::move(module_path));
    }
    const std::string name = ctx.index.Claim(module_path, e.path);
    CheckCollision(ctx, name, e, e.path);
    if (v.artifact == ArtifactKind::kNewModRecord && v.has_content()) {
      const NewModRecord r = ParseNewModRecord(*e.content);
      if (r.problems.Torn()) ReportTorn(ctx, e, r.problems);
    }
  }

  void Reset() override { moved_ko_.reset(); }

 private:
  // Any file removed ends a rename of a .ko; a .ko moved out starts one.
  void OnRemoved(const EventView& v, const RuleContext& ctx) {
    moved_ko_.reset();
    if (v.event.kind != EventKind::kMovedFrom || v.artifact != ArtifactKind::kKernelObject) return;
    std::string module_path = NormalizeModulePath(v.event.path, ctx.root);
    if (!module_path.empty())
      moved_ko_ = MovedKo{v.event.path, std::move(module_path), v.event.seq};
  }

  std::string MovedModulePath(const FsEvent& e, const RuleContext& ctx, std::string module_path) {
    if (!moved_ko_ || moved_ko_->seq != ctx.previous_seq) return module_path;
    const auto base = [](const std::string& p) { return p.substr(p.rfind('/') + 1); };
    if (base(moved_ko_->from) != base(e.path)) return module_path;
    std::string moved = std::move(moved_ko_->module_path);
    moved_ko_.reset();
    return moved;
  }

  // The .ko the last event moved away.
  struct MovedKo {
    std::string from;
    std::string module_path;
    uint64_t seq = 0;
  };
  std::optional<MovedKo> moved_ko_;
};

}  // namespace

std::unique_ptr<Rule> MakeModuleNameRule() { return std::make_unique<ModuleNameRule>(); }

}  // namespace modrace

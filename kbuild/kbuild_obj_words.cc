// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/kbuild_obj_words.h"

namespace modrace::make {

bool ObjWords::Tracks(const std::string& var) { return var == "obj-y" || var == "obj-m"; }

void ObjWords::Add(const std::string& var, const Alternatives& value, bool certain_line,
                   const KbuildOrigin& origin) {
  auto& from = origins_[var];
  const bool sure = certain_line && !value.opaque && value.values.size() == 1;
  for (const auto& w : UnionWords(value)) {
    from.emplace(w, origin);
    if (sure) certain_[var].insert(w);
  }
}

KbuildOrigin ObjWords::OriginOf(const std::string& var, const std::string& word) const {
  auto m = origins_.find(var);
  if (m == origins_.end()) return KbuildOrigin{};
  auto it = m->second.find(word);
  return it == m->second.end() ? KbuildOrigin{} : it->second;
}

bool ObjWords::Certain(const std::string& var, const std::string& word) const {
  auto it = certain_.find(var);
  return it != certain_.end() && it->second.count(word) != 0;
}

}  // namespace modrace::make

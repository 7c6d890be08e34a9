// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/make_variables.h"

namespace modrace::make {

ScopedVariables::~ScopedVariables() {
  for (auto& [name, old] : saved_) {
    if (old) {
      vars_[name] = std::move(*old);
    } else {
      vars_.erase(name);
    }
  }
}

void ScopedVariables::Bind(const std::string& name, Variable value) {
  Save(name);
  vars_[name] = std::move(value);
}

void ScopedVariables::Unbind(const std::string& name) {
  Save(name);
  vars_.erase(name);
}

void ScopedVariables::Save(const std::string& name) {
  for (const auto& s : saved_) {
    if (s.first == name) return;
  }
  auto it = vars_.find(name);
  saved_.emplace_back(name, it == vars_.end() ? std::nullopt : std::optional<Variable>(it->second));
}

}  // namespace modrace::make

// SPDX-License-Identifier: GPL-2.0-only
// Fuzzes ParseModulesOrder. The first line of the input is the watched
// root (absolute paths inside are made relative to it); the rest is the
// modules.order content.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "analyzer/modules_order.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modrace;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nl = input.find('\n');
  const std::string_view root = nl == std::string_view::npos ? input.substr(0, 0)
                                                              : input.substr(0, nl);
  const std::string_view content =
      nl == std::string_view::npos ? input : input.substr(nl + 1);
  const ModulesOrder order = ParseModulesOrder(content, root, "linux/drivers/modules.order");
  // Every duplicate is one of the modules, and listed once.
  std::set<std::string> modules(order.modules.begin(), order.modules.end());
  std::set<std::string> dups;
  for (const std::string& d : order.duplicates) {
    if (!modules.count(d) || !dups.insert(d).second) abort();
  }
  return 0;
}

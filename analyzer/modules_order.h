// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_MODULES_ORDER_H_
#define MODRACE_ANALYZER_MODULES_ORDER_H_

// Parser of DIR/modules.order: the modules a directory built, one path per
// line, relative to the top of the build ("drivers/net/usb/asix.ko" in
// drivers/net/usb/modules.order as in the top one; before 5.x
// "kernel/drivers/..."; with an absolute M= the absolute path; 6.1 may list
// a path twice).

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/mod_record.h"

namespace modrace {

struct ModulesOrder {
  std::vector<std::string> modules;  // normalized module paths ("dir/name"), in order
  std::vector<std::string> duplicates;  // paths listed more than once (each once)
  std::vector<std::string> bad_lines;   // lines that name no module
  ContentProblems problems;
};

// `root` is the watched root, to make absolute paths relative;
// `order_path` the file's own path relative to it, whose directory anchors
// the relative lines (ModulesOrderAnchor in analyzer/artifact_path.h). The
// module paths come out relative to the watched root.
ModulesOrder ParseModulesOrder(std::string_view content, std::string_view root,
                               std::string_view order_path);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_MODULES_ORDER_H_

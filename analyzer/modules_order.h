#ifndef MODRACE_ANALYZER_MODULES_ORDER_H_
#define MODRACE_ANALYZER_MODULES_ORDER_H_

// Parser of DIR/modules.order: the modules a directory built, one path per
// line ("drivers/net/usb/asix.ko"; before 5.x "kernel/drivers/..."; with an
// absolute M= the absolute path; 6.1 may list a path twice).

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

// `root` is the watched root, to make absolute paths relative.
ModulesOrder ParseModulesOrder(std::string_view content, std::string_view root);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_MODULES_ORDER_H_

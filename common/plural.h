// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_PLURAL_H_
#define MODRACE_ANALYZER_PLURAL_H_

// Counts in sentences people read: "1 directory", "2 directories";
// "once", "twice", "3 times". Every message of the analyzer and the
// client counts with these, never with "director(ies)".

#include <cstdint>
#include <string>
#include <string_view>

namespace modrace {

// "1 directory", "0 directories", "2 directories".
std::string Counted(uint64_t n, std::string_view one, std::string_view many);

// "never", "once", "twice", "3 times".
std::string Times(uint64_t n);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_PLURAL_H_

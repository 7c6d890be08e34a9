// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_ANALYZER_JOB_NAMES_H_
#define MODRACE_ANALYZER_JOB_NAMES_H_

// How a job is named to a person (docs/architecture.md, Jobs): pure text
// functions over command lines.
//
// - JobShortName(recipe): kbuild's quiet line when the recipe echoes one
//   (`echo '  CC [M]  drivers/net/usb/asix.o';` gives "CC [M]
//   drivers/net/usb/asix.o"); otherwise the recipe's first command, past
//   `set -e`, `trap ...` and `:`, as its program's base name and, when it
//   has `-o FILE`, "-o FILE"; else cut to a few dozen characters. A
//   `/bin/sh -c` prefix is skipped.
// - MakeCall(cmdline): how a make was called, for telling makes apart:
//   "obj=DIR" (kbuild's Makefile.build), else "-C DIR", else "-f FILE",
//   else its arguments (past make's own name) cut short.
// - Shorten(text, n): at most n bytes, "..." marking a cut.

#include <cstddef>
#include <string>
#include <string_view>

namespace modrace {

std::string JobShortName(std::string_view recipe);
std::string MakeCall(std::string_view cmdline);
std::string Shorten(std::string_view text, size_t n);

}  // namespace modrace

#endif  // MODRACE_ANALYZER_JOB_NAMES_H_

// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_CLIENT_MAKE_COMMAND_H_
#define MODRACE_CLIENT_MAKE_COMMAND_H_

// What a build command given to `modrace run` or `repro` says, when it is a
// make command line (`make -C K M=TREE O=OUT -j8 ...`): the directory make
// starts in and kbuild's M= and O= variables. Only argv is read; a build
// behind `sh -c` says nothing here.

#include <string>
#include <vector>

namespace modrace {

// argv[0] is make or gmake (by its base name).
bool IsMake(const std::vector<std::string>& command);

// make's -C DIR, -CDIR, --directory=DIR and --directory DIR; the last wins
// (several -C nest; the usual kernel command has one). "" when none.
std::string MakeDirectoryOf(const std::vector<std::string>& command);

// The value of the last NAME=VALUE argument ("M" gives M=DIR's DIR), "" when
// none.
std::string MakeVariableOf(const std::vector<std::string>& command, const std::string& name);

}  // namespace modrace

#endif  // MODRACE_CLIENT_MAKE_COMMAND_H_

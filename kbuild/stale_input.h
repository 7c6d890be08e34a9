// SPDX-License-Identifier: GPL-2.0-only
#ifndef MODRACE_KBUILD_STALE_INPUT_H_
#define MODRACE_KBUILD_STALE_INPUT_H_

// stale_input (docs/kbuild.md, Stale inputs): files of a kernel build
// directory that an external module build (`make -C K M=...`) reads but
// never rebuilds, left there by an earlier build of that kernel. Pure: the
// facts come in (client/kernel_inputs.h reads them), findings go out.
//
// - vmlinux, when CONFIG_DEBUG_INFO_BTF_MODULES is set in
//   include/config/auto.conf: every module's BTF is generated against it
//   (scripts/Makefile.modfinal: `pahole -J --btf_base vmlinux`), and an M=
//   build never remakes it. It is stale when its banner ("Linux version X")
//   names another release than include/generated/utsrelease.h (certain),
//   or when config symbols changed after it was linked (include/config/SYM
//   newer than it; likely: a symbol no vmlinux object reads leaves vmlinux
//   as it is, even after `make vmlinux`). Without BTF for modules no module
//   build reads vmlinux, and nothing is said.
// - Module.symvers older than vmlinux.o: modpost of the M= build takes
//   symbol CRCs from it, written before vmlinux.o was last linked. Unless
//   vmlinux.symvers (modpost's list of vmlinux.o's exports, written by
//   `make vmlinux`) is newer and Module.symvers lists the same vmlinux
//   exports. Module.symvers newer than vmlinux is normal (`make modules`
//   rewrites it after vmlinux was linked) and says nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/finding.h"

namespace modrace {

// A config symbol whose include/config/SYM file (touched by kconfig when
// its value changed) is newer than vmlinux.
struct ChangedSymbol {
  std::string symbol;  // without CONFIG_: "LOCALVERSION"
  int64_t mtime_ns = 0;
};

// What was found in one kernel directory; a missing file is nullopt.
struct KernelDirFacts {
  std::string dir;  // the kernel directory, absolute, as the report names it
  std::optional<int64_t> vmlinux_mtime_ns;
  std::optional<int64_t> vmlinux_o_mtime_ns;
  std::optional<int64_t> module_symvers_mtime_ns;
  std::optional<int64_t> vmlinux_symvers_mtime_ns;
  std::optional<int64_t> auto_conf_mtime_ns;
  std::optional<std::string> uts_release;      // UTS_RELEASE of utsrelease.h
  std::optional<std::string> vmlinux_release;  // the release in vmlinux's banner
  bool btf_modules = false;                    // CONFIG_DEBUG_INFO_BTF_MODULES=y
  std::vector<ChangedSymbol> newer_symbols;    // include/config/SYM newer than vmlinux
  // Read only when Module.symvers is older than vmlinux.o and
  // vmlinux.symvers newer: their contents.
  std::optional<std::string> module_symvers;
  std::optional<std::string> vmlinux_symvers;
};

// `#define UTS_RELEASE "6.1.192"` -> "6.1.192".
std::optional<std::string> ParseUtsRelease(std::string_view utsrelease_h);

// The release of the first "Linux version X " in `bytes` (a piece of
// vmlinux): X runs to the next space and starts with a digit.
std::optional<std::string> FindBannerRelease(std::string_view bytes);

// True when every vmlinux export line of `module_symvers` is in
// `vmlinux_symvers` and the other way round (same symbols, same CRCs).
bool SymversAgreeOnVmlinux(std::string_view module_symvers, std::string_view vmlinux_symvers);

// The stale_input findings for `facts` (warnings, one per file), in the
// order vmlinux, Module.symvers. `when`: "at the build's start" or "at the
// build's end", for the evidence.
std::vector<Finding> StaleInputFindings(const KernelDirFacts& facts, std::string_view when);

}  // namespace modrace

#endif  // MODRACE_KBUILD_STALE_INPUT_H_

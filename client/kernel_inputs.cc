// SPDX-License-Identifier: GPL-2.0-only
#include "client/kernel_inputs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "client/make_command.h"
#include "common/file_kind.h"
#include "common/unique_fd.h"
#include "kbuild/dot_config.h"

namespace modrace {

namespace {

std::optional<int64_t> MtimeNs(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// A small text file whole, nullopt when it cannot be read.
std::optional<std::string> ReadSmall(const std::string& path, size_t limit = 64 << 20) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return std::nullopt;
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fd.get(), buf, sizeof buf);
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > limit) return std::nullopt;
  }
  return out;
}

// The banner's release, reading vmlinux in pieces until it is found.
std::optional<std::string> ReadBannerRelease(const std::string& vmlinux) {
  UniqueFd fd(open(vmlinux.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return std::nullopt;
  constexpr size_t kPiece = 1 << 20;
  constexpr size_t kKeep = 256;  // a banner cut between two pieces is read whole
  std::string window;
  std::string buf(kPiece, '\0');
  for (;;) {
    const ssize_t n = read(fd.get(), buf.data(), buf.size());
    if (n <= 0) return std::nullopt;
    window.append(buf.data(), static_cast<size_t>(n));
    if (auto r = FindBannerRelease(window)) return r;
    if (window.size() > kKeep) window.erase(0, window.size() - kKeep);
  }
}

bool IsSymbolName(const char* name) {
  if (*name == '\0') return false;
  for (const char* c = name; *c != '\0'; ++c) {
    if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_')) return false;
  }
  return true;
}

// include/config/SYM files (kconfig touches the file of every symbol whose
// value changed, 5.13 and later name them by the symbol) newer than `than`.
std::vector<ChangedSymbol> NewerSymbols(const std::string& dir, int64_t than) {
  std::vector<ChangedSymbol> out;
  const std::string config = dir + "/include/config";
  DIR* d = opendir(config.c_str());
  if (d == nullptr) return out;
  while (const dirent* e = readdir(d)) {
    if (!IsSymbolName(e->d_name)) continue;
    const auto t = MtimeNs(config + "/" + e->d_name);
    if (t && *t > than) out.push_back({e->d_name, *t});
  }
  closedir(d);
  return out;
}

bool IsKernelBuildDir(const std::string& dir) {
  return IsRegularFile(dir + "/include/config/auto.conf") || IsRegularFile(dir + "/vmlinux");
}

bool Inside(const std::string& path, const std::string& root) {
  return path == root || (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
                          path[root.size()] == '/');
}

std::string Resolve(const std::string& dir, const std::string& base) {
  if (dir.empty()) return "";
  return RealPath(dir[0] == '/' || base.empty() ? dir : base + "/" + dir);
}

}  // namespace

std::string KernelDirOf(const std::string& tree, const std::vector<std::string>& command) {
  if (!IsMake(command)) return "";
  std::string dir;
  const std::string c = MakeDirectoryOf(command);
  if (!c.empty() && !MakeVariableOf(command, "M").empty()) dir = Resolve(c, "");
  if (dir.empty() || !IsKernelBuildDir(dir)) {
    dir.clear();
    for (const char* name : {"KDIR", "KERNELDIR", "KERNEL_DIR", "KSRC", "KERNEL_SRC"}) {
      const std::string v = MakeVariableOf(command, name);
      if (!v.empty()) dir = Resolve(v, c);
      if (!dir.empty()) break;
    }
  }
  if (dir.empty()) return "";
  const std::string o = MakeVariableOf(command, "O");
  if (!o.empty()) {
    const std::string out = Resolve(o, dir);
    if (!out.empty()) dir = out;
  }
  const std::string root = RealPath(tree);
  if (Inside(dir, root.empty() ? tree : root) || !IsKernelBuildDir(dir)) return "";
  return dir;
}

KernelDirFacts ReadKernelDirFacts(const std::string& dir) {
  KernelDirFacts f;
  f.dir = dir;
  f.vmlinux_mtime_ns = MtimeNs(dir + "/vmlinux");
  f.vmlinux_o_mtime_ns = MtimeNs(dir + "/vmlinux.o");
  f.module_symvers_mtime_ns = MtimeNs(dir + "/Module.symvers");
  f.vmlinux_symvers_mtime_ns = MtimeNs(dir + "/vmlinux.symvers");
  const std::string auto_conf = dir + "/include/config/auto.conf";
  f.auto_conf_mtime_ns = MtimeNs(auto_conf);
  if (auto uts = ReadSmall(dir + "/include/generated/utsrelease.h")) {
    f.uts_release = ParseUtsRelease(*uts);
  }
  if (auto conf = ReadSmall(auto_conf)) {
    f.btf_modules = DotConfig::Parse(*conf).Get("CONFIG_DEBUG_INFO_BTF_MODULES") == Tristate::kYes;
  }
  if (f.btf_modules && f.vmlinux_mtime_ns) {
    f.vmlinux_release = ReadBannerRelease(dir + "/vmlinux");
    f.newer_symbols = NewerSymbols(dir, *f.vmlinux_mtime_ns);
  }
  if (f.module_symvers_mtime_ns && f.vmlinux_o_mtime_ns && f.vmlinux_symvers_mtime_ns &&
      *f.module_symvers_mtime_ns < *f.vmlinux_o_mtime_ns &&
      *f.vmlinux_symvers_mtime_ns >= *f.vmlinux_o_mtime_ns) {
    f.module_symvers = ReadSmall(dir + "/Module.symvers");
    f.vmlinux_symvers = ReadSmall(dir + "/vmlinux.symvers");
  }
  return f;
}

std::vector<Finding> CheckKernelInputs(const std::string& dir, std::string_view when) {
  if (dir.empty()) return {};
  return StaleInputFindings(ReadKernelDirFacts(dir), when);
}

void AddStaleInputs(const std::vector<Finding>& at_start, const std::vector<Finding>& at_end,
                    Report* report) {
  uint64_t next_id = 0;
  for (const Finding& f : report->findings) next_id = std::max(next_id, f.id);
  std::set<std::string> files;
  auto add = [&](const Finding& found) {
    if (found.paths.empty() || !files.insert(found.paths[0]).second) return;
    Finding f = found;
    f.id = ++next_id;
    f.revision = 1;
    report->findings.push_back(std::move(f));
  };
  for (const Finding& f : at_start) add(f);
  for (const Finding& f : at_end) add(f);
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "kbuild/source_tree.h"

#include <deque>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analyzer/artifact_path.h"
#include "kbuild/kbuild_makefile.h"
#include "kbuild/kconfig.h"

namespace modrace {

namespace {

// Local and small on purpose: the tree-relative join of two paths.
std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty() || a == ".") return std::string(b);
  if (b.empty()) return std::string(a);
  std::string out(a);
  if (out.back() != '/') out += '/';
  out += b;
  return out;
}

bool IsDirWord(std::string_view w) { return !w.empty() && w.back() == '/'; }

std::string JoinWords(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& x : words) s += (s.empty() ? "" : " ") + x;
  return s;
}

class SourceTree {
 public:
  SourceTree(std::string srcarch, const DotConfig* config, const SourceReader& reader,
             const std::map<std::string, std::string>& make_variables)
      : srcarch_(std::move(srcarch)),
        config_(config),
        reader_(reader),
        make_variables_(make_variables) {}

  SourcePrediction Run() {
    if (!config_) ReadKconfig();
    vars_ = {{"ARCH", srcarch_},         {"SRCARCH", srcarch_}, {"KERNELRELEASE", "audit"},
             {"KBUILD_EXTMOD", ""},      {"CONFIG_SHELL", "sh"}};
    for (const auto& [name, value] : make_variables_) vars_[name] = value;
    std::vector<KbuildEntry> start;
    out_.kernel = reader_.is_directory("arch/" + srcarch_) && reader_.read("Makefile");
    if (out_.kernel) {
      StartKernel(&start);
    } else {
      start.push_back({"", {}, true});
    }
    Descend(start);
    return std::move(out_);
  }

 private:
  std::optional<std::string> Read(const std::string& path) {
    auto content = reader_.read(path);
    if (content) ++out_.files_read;
    return content;
  }

  void Progress(const std::function<std::string()>& line) {
    if (reader_.progress) reader_.progress(line());
  }

  unsigned Oracle(std::string_view symbol) const {
    if (config_) {
      switch (config_->Get(symbol)) {
        case Tristate::kYes: return kMayBeY;
        case Tristate::kModule: return kMayBeM;
        case Tristate::kNo: return kMayBeN;
      }
    }
    if (!have_kconfig_) return kMayBeN | kMayBeM | kMayBeY;
    if (symbols_.Unreachable(symbol)) return kMayBeN;  // depends on another arch's symbol
    switch (symbols_.TypeOf(symbol)) {
      case SymbolType::kTristate: return kMayBeN | kMayBeM | kMayBeY;
      case SymbolType::kBool: return kMayBeN | kMayBeY;
      case SymbolType::kUnknown:
        // Defined without a type we could see: may still be anything.
        return symbols_.Defines(symbol) ? (kMayBeN | kMayBeM | kMayBeY) : kMayBeN;
      default: return kMayBeN | kMayBeY;
    }
  }

  SymbolOracle MakeOracle() const {
    return [this](std::string_view s) { return Oracle(s); };
  }

  IncludeReader MakeReader() {
    return [this](std::string_view path) -> std::optional<std::string> {
      const std::string p(path);
      return Read(!p.empty() && p[0] == '/' ? p : NormalizeTreePath(p));
    };
  }

  // Follows `source` lines from the top Kconfig (so only this arch's
  // symbols count); without a top Kconfig, every symbol may be anything.
  void ReadKconfig() {
    const std::map<std::string, std::string> vars = {
        {"SRCARCH", srcarch_}, {"ARCH", srcarch_}, {"HEADER_ARCH", srcarch_},
        {"KCONFIG_EXT_PREFIX", ""}, {"srctree", "."}};
    std::deque<std::string> queue = {"Kconfig"};
    std::set<std::string> seen = {"Kconfig"};
    while (!queue.empty()) {
      const std::string rel = queue.front();
      queue.pop_front();
      const auto content = reader_.read(rel);
      if (!content) continue;
      ++out_.kconfig_files;
      have_kconfig_ = true;
      Progress([&] { return "reading Kconfig: " + rel; });
      const KconfigFile file = ParseKconfig(*content);
      symbols_.Add(file);
      for (const KconfigSource& src : file.sources) {
        auto path = ExpandKconfigPath(src.path, vars);
        if (!path) continue;
        std::string p = src.relative ? JoinPath(std::string(DirOf(rel)), *path) : *path;
        p = NormalizeTreePath(p);
        if (seen.insert(p).second) queue.push_back(p);
      }
    }
    out_.kconfig_symbols = symbols_.size();
  }

  // Before 6.1: the top Makefile sets init-y, core-y, drivers-y, net-y,
  // libs-y and virt-y, and includes the arch Makefile.
  void StartOldKernel(KbuildMakefile& arch, std::vector<KbuildEntry>* start) {
    if (const auto content = Read("Makefile")) arch.Evaluate(*content, "Makefile");
    for (const char* v :
         {"init-y", "core-y", "drivers-y", "drivers-m", "net-y", "libs-y", "virt-y"}) {
      for (const auto& w : arch.Words(v)) {
        if (IsDirWord(w)) start->push_back({NormalizeTreePath(w), {"Makefile", 0, v}, true});
      }
    }
  }

  // 6.1: the top Kbuild lists the directories, with ARCH_CORE, ARCH_LIB and
  // ARCH_DRIVERS from the arch Makefile.
  void StartKernel(std::vector<KbuildEntry>* start) {
    KbuildMakefile arch(MakeOracle(), MakeReader());
    arch.Set("srctree", ".");
    arch.Set("objtree", ".");
    for (const auto& [k, v] : vars_) arch.Set(k, v);
    arch.Set("core-y", "");
    arch.Set("drivers-y", "");
    arch.Set("libs-y", "lib/");
    const auto kbuild = reader_.read("Kbuild");
    const bool new_style = kbuild && kbuild->find("obj-y") != std::string::npos &&
                           kbuild->find("ARCH_CORE") != std::string::npos;
    if (!new_style) {
      StartOldKernel(arch, start);
      return;
    }
    const std::string arch_makefile = "arch/" + srcarch_ + "/Makefile";
    if (const auto content = Read(arch_makefile)) {
      arch.Evaluate(*content, arch_makefile);
    } else {
      out_.problems.push_back("could not read " + arch_makefile);
      out_.no_arch = true;
    }
    std::vector<std::string> libs;
    for (const auto& w : arch.Words("libs-y")) {
      if (IsDirWord(w)) libs.push_back(w);
    }
    std::vector<std::string> drivers = arch.Words("drivers-y");
    for (const auto& w : arch.Words("drivers-m")) drivers.push_back(w);
    vars_["ARCH_CORE"] = JoinWords(arch.Words("core-y"));
    vars_["ARCH_LIB"] = JoinWords(libs);
    vars_["ARCH_DRIVERS"] = JoinWords(drivers);
    ++out_.files_read;
    const KbuildDirectory top =
        EvaluateKbuildDirectory(*kbuild, "Kbuild", "", vars_, MakeOracle(), MakeReader());
    for (const auto& p : top.problems) out_.problems.push_back(p);
    for (const auto& m : top.modules) AddModule(m);
    *start = top.subdirs;
  }

  void AddModule(const KbuildEntry& m) {
    out_.sources[m.path].push_back({m.origin.file, m.origin.line, m.origin.text});
    PredictedModule s{m.path,
                      {0, m.origin.file,
                       m.origin.file + ":" + std::to_string(m.origin.line) + ": " + m.origin.text,
                       std::nullopt},
                      m.certain};
    auto [it, inserted] = module_index_.emplace(m.path, out_.modules.size());
    if (inserted) {
      out_.modules.push_back(std::move(s));
      return;
    }
    // The same module from two Makefiles: two recursive makes build it.
    const PredictedModule& first = out_.modules[it->second];
    if (first.evidence.path == s.evidence.path) return;
    for (auto& [path, sightings] : out_.reached_twice) {
      if (path == m.path) {
        sightings.push_back(std::move(s));
        return;
      }
    }
    out_.reached_twice.push_back({m.path, {first, std::move(s)}});
  }

  // The directory's Kbuild, else its Makefile, with the name read.
  std::optional<std::string> ReadKbuildFile(const std::string& dir, std::string* file) {
    *file = JoinPath(dir, "Kbuild");
    if (auto content = Read(*file)) return content;
    *file = JoinPath(dir, "Makefile");
    return Read(*file);
  }

  void Descend(const std::vector<KbuildEntry>& start) {
    std::deque<KbuildEntry> queue(start.begin(), start.end());
    std::unordered_set<std::string> visited;
    while (!queue.empty()) {
      const KbuildEntry dir = std::move(queue.front());
      queue.pop_front();
      if (!visited.insert(dir.path).second) continue;
      ++out_.dirs;
      Progress([&] {
        return "reading Makefiles: " + std::to_string(out_.dirs) + " dirs, " +
               std::to_string(out_.modules.size()) + " modules: " + dir.path;
      });
      std::string file;
      const auto content = ReadKbuildFile(dir.path, &file);
      if (!content) {
        out_.missing_dirs.push_back(dir.path);
        continue;
      }
      const KbuildDirectory d =
          EvaluateKbuildDirectory(*content, file, dir.path, vars_, MakeOracle(), MakeReader());
      for (const auto& p : d.problems) out_.problems.push_back(p);
      // An entry is certain only if every directory above it is reached
      // for every config too.
      for (KbuildEntry m : d.modules) {
        m.certain = m.certain && dir.certain;
        AddModule(m);
      }
      for (KbuildEntry s : d.subdirs) {
        s.certain = s.certain && dir.certain;
        queue.push_back(std::move(s));
      }
    }
  }

  std::string srcarch_;
  const DotConfig* config_;
  const SourceReader& reader_;
  const std::map<std::string, std::string>& make_variables_;
  bool have_kconfig_ = false;
  KconfigSymbols symbols_;
  std::map<std::string, std::string> vars_;
  std::unordered_map<std::string, size_t> module_index_;
  SourcePrediction out_;
};

}  // namespace

SourcePrediction PredictSourceTree(const std::string& srcarch, const DotConfig* config,
                                   const SourceReader& reader,
                                   const std::map<std::string, std::string>& make_variables) {
  return SourceTree(srcarch, config, reader, make_variables).Run();
}

}  // namespace modrace

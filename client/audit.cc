#include "client/audit.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "analyzer/artifact_path.h"
#include "analyzer/dot_config.h"
#include "analyzer/kbuild_makefile.h"
#include "analyzer/kconfig.h"
#include "analyzer/mod_record.h"
#include "analyzer/modules_order.h"
#include "proto/version.h"

namespace modrace {

namespace {

// Artifacts bigger than this are not text kbuild wrote; they are counted
// as oversized and skipped (a .ko is never read, only named).
constexpr size_t kMaxReadBytes = 16 << 20;
constexpr size_t kMaxExcerpt = 512;
constexpr size_t kMaxListedGaps = 10;

bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty() || a == ".") return std::string(b);
  if (b.empty()) return std::string(a);
  std::string out(a);
  if (out.back() != '/') out += '/';
  out += b;
  return out;
}

enum class ReadStatus { kOk, kMissing, kUnreadable, kTooBig };

ReadStatus ReadFile(const std::string& path, std::string* out) {
  out->clear();
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT || errno == ENOTDIR ? ReadStatus::kMissing
                                                          : ReadStatus::kUnreadable;
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      close(fd);
      return ReadStatus::kUnreadable;
    }
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
    if (out->size() > kMaxReadBytes) {
      close(fd);
      return ReadStatus::kTooBig;
    }
  }
  close(fd);
  return ReadStatus::kOk;
}

bool IsRegularFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string Excerpt(std::string_view content) {
  return std::string(content.substr(0, kMaxExcerpt));
}

// "foo-bar" and "foo_bar" are one module to modprobe and the kernel.
std::string LoadName(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

// Rate-limits progress lines.
class Progress {
 public:
  explicit Progress(std::function<void(std::string_view)> sink) : sink_(std::move(sink)) {}
  void Tick(const std::function<std::string()>& line) {
    if (!sink_ || (++ticks_ % 256) != 0) return;
    sink_(line());
  }
  void Done() {
    if (sink_) sink_("");
  }

 private:
  std::function<void(std::string_view)> sink_;
  uint64_t ticks_ = 0;
};

// Everything the whole-tree walk finds that the audit reads.
struct TreeFiles {
  std::vector<std::string> modules_orders;  // relative paths
  std::vector<std::string> new_mod_records;
  std::vector<std::string> old_mod_records;
  std::vector<std::string> kernel_objects;
  uint64_t dirs = 0;
  std::vector<std::string> unreadable_dirs;
};

void Walk(const std::string& root, const std::string& rel, TreeFiles* files,
          Progress* progress) {
  const std::string abs = JoinPath(root, rel);
  DIR* d = opendir(abs.c_str());
  if (!d) {
    files->unreadable_dirs.push_back(rel.empty() ? "." : rel);
    return;
  }
  ++files->dirs;
  progress->Tick([&] { return "walking " + std::to_string(files->dirs) + " dirs: " + rel; });
  std::vector<std::string> subdirs;
  while (struct dirent* e = readdir(d)) {
    const char* n = e->d_name;
    if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0))) continue;
    unsigned char type = e->d_type;
    const std::string child = JoinPath(rel, n);
    if (type == DT_UNKNOWN) {
      struct stat st;
      if (lstat(JoinPath(root, child).c_str(), &st) != 0) continue;
      type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
    }
    if (type == DT_DIR) {
      if (std::strcmp(n, ".git") != 0) subdirs.push_back(child);
      continue;
    }
    if (type != DT_REG) continue;
    switch (ClassifyArtifact(child)) {
      case ArtifactKind::kModulesOrder: files->modules_orders.push_back(child); break;
      case ArtifactKind::kNewModRecord: files->new_mod_records.push_back(child); break;
      case ArtifactKind::kOldModRecord: files->old_mod_records.push_back(child); break;
      case ArtifactKind::kKernelObject: files->kernel_objects.push_back(child); break;
      case ArtifactKind::kOther: break;
    }
  }
  closedir(d);
  std::sort(subdirs.begin(), subdirs.end());
  for (const auto& s : subdirs) Walk(root, s, files, progress);
}

// One module path and why the audit believes in it.
struct Sighting {
  std::string path;  // "drivers/net/usb/asix" (or absolute for --against)
  Evidence evidence;
  bool certain = true;
};

class FindingList {
 public:
  Finding& Add(FindingKind kind, Severity severity, Confidence confidence) {
    Finding f;
    f.kind = kind;
    f.severity = severity;
    f.confidence = confidence;
    f.revision = 1;
    findings_.push_back(std::move(f));
    return findings_.back();
  }
  // Every path of every finding of `kind` so far.
  std::set<std::string> PathsOf(FindingKind kind) const {
    std::set<std::string> out;
    for (const Finding& f : findings_) {
      if (f.kind == kind) out.insert(f.paths.begin(), f.paths.end());
    }
    return out;
  }
  // Sorted by severity (errors first), kind, module, first path; ids 1..n.
  std::vector<Finding> Take() {
    std::stable_sort(findings_.begin(), findings_.end(), [](const Finding& a, const Finding& b) {
      if (a.severity != b.severity) return a.severity > b.severity;
      if (a.kind != b.kind) return a.kind < b.kind;
      if (a.module != b.module) return a.module < b.module;
      return a.paths < b.paths;
    });
    uint64_t id = 0;
    for (Finding& f : findings_) f.id = ++id;
    return std::move(findings_);
  }

 private:
  std::vector<Finding> findings_;
};

// Module name -> every path of that name, each path once with its first
// sighting.
class NameIndex {
 public:
  void Add(Sighting s) {
    const std::string name(ModuleNameOf(s.path));
    auto& paths = by_name_[name];
    for (auto& [path, sightings] : paths) {
      if (path == s.path) {
        if (sightings.size() < 4) sightings.push_back(std::move(s));
        return;
      }
    }
    std::string path = s.path;  // before s is moved
    paths.emplace_back(std::move(path), std::vector<Sighting>{std::move(s)});
  }
  template <typename F>
  void ForEachClash(F f) const {
    for (const auto& [name, paths] : by_name_) {
      if (paths.size() >= 2) f(name, paths);
    }
  }
  size_t PathCount() const {
    size_t n = 0;
    for (const auto& [name, paths] : by_name_) n += paths.size();
    return n;
  }
  std::vector<std::string> Paths() const {
    std::vector<std::string> out;
    for (const auto& [name, paths] : by_name_) {
      for (const auto& p : paths) out.push_back(p.first);
    }
    return out;
  }
  bool HasPath(const std::string& name, const std::string& path) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end()) return false;
    for (const auto& p : it->second) {
      if (p.first == path) return true;
    }
    return false;
  }

  using Entries = std::vector<std::pair<std::string, std::vector<Sighting>>>;

 private:
  std::map<std::string, Entries> by_name_;
};

// ---- built trees ----

void AuditBuiltTree(const std::string& root, const TreeFiles& files, Report* report,
                    FindingList* findings, NameIndex* index, Progress* progress) {
  std::string content;
  auto read = [&](const std::string& rel) {
    const ReadStatus st = ReadFile(JoinPath(root, rel), &content);
    ++report->statistics.files_tracked;
    if (st == ReadStatus::kTooBig) ++report->coverage.oversized_files;
    if (st == ReadStatus::kUnreadable || st == ReadStatus::kMissing) {
      ++report->coverage.unreadable_files;
    }
    progress->Tick([&] { return "reading " + rel; });
    return st == ReadStatus::kOk;
  };
  auto torn = [&](const std::string& rel, const ContentProblems& p, const std::string& why) {
    if (!p.Torn()) return;
    Finding& f = findings->Add(FindingKind::kTornFile, Severity::kError,
                               p.nul_bytes > 0 ? Confidence::kCertain : Confidence::kLikely);
    f.paths = {rel};
    f.module = std::string(ModuleNameOf(rel));
    std::string what = why;
    if (p.nul_bytes > 0) {
      what += ": " + std::to_string(p.nul_bytes) + " NUL bytes from offset " +
              std::to_string(p.first_nul_offset) + " (two writers of one file)";
    }
    for (const auto& n : p.notes) what += "; " + n;
    f.evidence.push_back({0, rel, what, Excerpt(content)});
    f.message = rel + " holds content only interleaved writers leave";
  };

  for (const std::string& rel : files.modules_orders) {
    if (!read(rel)) continue;
    const ModulesOrder order = ParseModulesOrder(content, root, rel);
    for (const std::string& m : order.modules) {
      index->Add({m, {0, rel, "listed in " + rel}, true});
    }
    for (const std::string& dup : order.duplicates) {
      Finding& f = findings->Add(FindingKind::kDuplicateModulePath, Severity::kWarning,
                                 Confidence::kCertain);
      f.module = std::string(ModuleNameOf(dup));
      f.paths = {dup};
      f.evidence.push_back({0, rel, "lists " + dup + " more than once", std::nullopt});
      f.message = rel + " lists " + dup +
                  " twice: two recursive makes build it at once (obj-m reaches it twice)";
    }
    torn(rel, order.problems, "modules.order content");
  }
  for (const std::string& rel : files.new_mod_records) {
    const std::string path(rel.substr(0, rel.size() - 4));
    index->Add({path, {0, rel, "module record " + rel}, true});
    if (!read(rel)) continue;
    torn(rel, ParseNewModRecord(content).problems, "module record");
  }
  for (const std::string& rel : files.kernel_objects) {
    index->Add({rel.substr(0, rel.size() - 3), {0, rel, "built module " + rel}, true});
  }
  std::map<std::string, std::string> old_record_of_name;  // name -> rel path
  for (const std::string& rel : files.old_mod_records) {
    if (!read(rel)) continue;
    const std::string name(ModuleNameOf(rel));
    old_record_of_name[name] = rel;
    const OldModRecord rec = ParseOldModRecord(content, name);
    const std::string m = NormalizeModulePath(rec.ko_path, root, OldRecordAnchor(rel));
    if (!m.empty()) {
      index->Add({m, {0, rel, "line 1 of " + rel + " names " + rec.ko_path, Excerpt(content)},
                  true});
    }
    torn(rel, rec.problems, ".tmp_versions record");
  }

  index->ForEachClash([&](const std::string& name, const NameIndex::Entries& paths) {
    auto it = old_record_of_name.find(name);
    if (it == old_record_of_name.end()) return;
    // One basename-named file for several modules: all but one record lost.
    Finding& f = findings->Add(FindingKind::kClobberedFile, Severity::kError,
                               Confidence::kCertain);
    f.module = name;
    f.paths = {it->second};
    for (const auto& p : paths) f.paths.push_back(p.first);
    f.evidence.push_back({0, it->second,
                          std::to_string(paths.size()) + " modules named " + name +
                              " share this one record; old kbuild rewrote it per module",
                          std::nullopt});
    f.message = it->second + " can record only one of " + std::to_string(paths.size()) +
                " modules named " + name + "; modpost misses the others";
  });
}

// ---- source trees ----

struct SourceAudit {
  std::vector<Sighting> modules;       // every predicted module, first sighting each
  std::map<std::string, std::vector<SourceLine>> sources;  // AuditResult::module_sources
  std::vector<std::pair<std::string, std::vector<Sighting>>> reached_twice;
  std::vector<std::string> missing_dirs;  // descended into, but no Kbuild/Makefile
  std::vector<std::string> problems;
  uint64_t files_read = 0;
  uint64_t dirs = 0;
  uint64_t kconfig_files = 0;
  uint64_t kconfig_symbols = 0;
};

class SourceTree {
 public:
  SourceTree(std::string root, std::string srcarch, const DotConfig* config, Progress* progress)
      : root_(std::move(root)),
        srcarch_(std::move(srcarch)),
        config_(config),
        progress_(progress) {}

  // AuditOptions::make_variables.
  void SetCommandLine(std::map<std::string, std::string> vars) { command_line_ = std::move(vars); }

  SourceAudit Run() {
    if (!config_) ReadKconfig();
    vars_ = {{"ARCH", srcarch_},       {"SRCARCH", srcarch_},
             {"KERNELRELEASE", "audit"}, {"KBUILD_EXTMOD", ""},
             {"CONFIG_SHELL", "sh"}};
    for (const auto& [name, value] : command_line_) vars_[name] = value;
    std::vector<KbuildEntry> start;
    const bool kernel = IsDirectory(JoinPath(root_, "arch/" + srcarch_)) &&
                        IsRegularFile(JoinPath(root_, "Makefile"));
    if (kernel) {
      StartKernel(&start);
    } else {
      start.push_back({"", {}, true});
    }
    Descend(start);
    return std::move(out_);
  }

 private:
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
      std::string p(path);
      if (!p.empty() && p[0] == '/') {
        if (p.compare(0, root_.size(), root_) != 0) return std::nullopt;
      } else {
        p = JoinPath(root_, NormalizeTreePath(p));
      }
      std::string content;
      if (ReadFile(p, &content) != ReadStatus::kOk) return std::nullopt;
      ++out_.files_read;
      return content;
    };
  }

  // Follows `source` lines from the top Kconfig (so only this arch's
  // symbols count); without a top Kconfig, every symbol may be anything.
  void ReadKconfig() {
    const std::map<std::string, std::string> vars = {
        {"SRCARCH", srcarch_}, {"ARCH", srcarch_}, {"HEADER_ARCH", srcarch_},
        {"KCONFIG_EXT_PREFIX", ""}, {"srctree", "."}};
    std::deque<std::string> queue;
    std::set<std::string> seen;
    if (IsRegularFile(JoinPath(root_, "Kconfig"))) {
      queue.push_back("Kconfig");
      seen.insert("Kconfig");
    }
    std::string content;
    while (!queue.empty()) {
      const std::string rel = queue.front();
      queue.pop_front();
      if (ReadFile(JoinPath(root_, rel), &content) != ReadStatus::kOk) continue;
      ++out_.kconfig_files;
      have_kconfig_ = true;
      progress_->Tick([&] { return "reading Kconfig: " + rel; });
      const KconfigFile file = ParseKconfig(content);
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

  // 6.1: the top Kbuild lists the directories, with ARCH_CORE, ARCH_LIB and
  // ARCH_DRIVERS from the arch Makefile. Before: the top Makefile's
  // init-y, core-y, drivers-y, net-y, libs-y and virt-y.
  void StartKernel(std::vector<KbuildEntry>* start) {
    KbuildMakefile arch(MakeOracle(), MakeReader());
    arch.Set("srctree", ".");
    arch.Set("objtree", ".");
    for (const auto& [k, v] : vars_) arch.Set(k, v);
    arch.Set("core-y", "");
    arch.Set("drivers-y", "");
    arch.Set("libs-y", "lib/");
    std::string content;
    const std::string arch_makefile = "arch/" + srcarch_ + "/Makefile";
    const std::string top_kbuild = JoinPath(root_, "Kbuild");
    std::string kbuild_text;
    const bool new_style = ReadFile(top_kbuild, &kbuild_text) == ReadStatus::kOk &&
                           kbuild_text.find("obj-y") != std::string::npos &&
                           kbuild_text.find("ARCH_CORE") != std::string::npos;
    if (!new_style) {
      // The top Makefile sets the lists and includes the arch Makefile.
      if (ReadFile(JoinPath(root_, "Makefile"), &content) == ReadStatus::kOk) {
        ++out_.files_read;
        arch.Evaluate(content, "Makefile");
      }
      for (const char* v : {"init-y", "core-y", "drivers-y", "drivers-m", "net-y", "libs-y",
                            "virt-y"}) {
        for (const auto& w : arch.Words(v)) {
          if (EndsWith(w, "/")) start->push_back({NormalizeTreePath(w), {"Makefile", 0, v}, true});
        }
      }
      return;
    }
    if (ReadFile(JoinPath(root_, arch_makefile), &content) == ReadStatus::kOk) {
      ++out_.files_read;
      arch.Evaluate(content, arch_makefile);
    } else {
      out_.problems.push_back("could not read " + arch_makefile);
    }
    auto join = [](const std::vector<std::string>& w) {
      std::string s;
      for (const auto& x : w) s += (s.empty() ? "" : " ") + x;
      return s;
    };
    std::vector<std::string> libs;
    for (const auto& w : arch.Words("libs-y")) {
      if (EndsWith(w, "/")) libs.push_back(w);
    }
    std::vector<std::string> drivers = arch.Words("drivers-y");
    for (const auto& w : arch.Words("drivers-m")) drivers.push_back(w);
    vars_["ARCH_CORE"] = join(arch.Words("core-y"));
    vars_["ARCH_LIB"] = join(libs);
    vars_["ARCH_DRIVERS"] = join(drivers);
    ++out_.files_read;
    const KbuildDirectory top = EvaluateKbuildDirectory(kbuild_text, "Kbuild", "", vars_,
                                                        MakeOracle(), MakeReader());
    for (const auto& p : top.problems) out_.problems.push_back(p);
    for (const auto& m : top.modules) AddModule(m);
    *start = top.subdirs;
  }

  void AddModule(const KbuildEntry& m) {
    out_.sources[m.path].push_back({m.origin.file, m.origin.line, m.origin.text});
    Sighting s{m.path,
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
    const Sighting& first = out_.modules[it->second];
    if (first.evidence.path == s.evidence.path) return;
    for (auto& [path, sightings] : out_.reached_twice) {
      if (path == m.path) {
        sightings.push_back(std::move(s));
        return;
      }
    }
    out_.reached_twice.push_back({m.path, {first, std::move(s)}});
  }

  void Descend(const std::vector<KbuildEntry>& start) {
    std::deque<KbuildEntry> queue(start.begin(), start.end());
    std::unordered_set<std::string> visited;
    std::string content;
    while (!queue.empty()) {
      const KbuildEntry dir = std::move(queue.front());
      queue.pop_front();
      if (!visited.insert(dir.path).second) continue;
      ++out_.dirs;
      progress_->Tick([&] {
        return "reading Makefiles: " + std::to_string(out_.dirs) + " dirs, " +
               std::to_string(out_.modules.size()) + " modules: " + dir.path;
      });
      std::string file = JoinPath(dir.path, "Kbuild");
      ReadStatus st = ReadFile(JoinPath(root_, file), &content);
      if (st == ReadStatus::kMissing) {
        file = JoinPath(dir.path, "Makefile");
        st = ReadFile(JoinPath(root_, file), &content);
      }
      if (st != ReadStatus::kOk) {
        out_.missing_dirs.push_back(dir.path);
        continue;
      }
      ++out_.files_read;
      const KbuildDirectory d =
          EvaluateKbuildDirectory(content, file, dir.path, vars_, MakeOracle(), MakeReader());
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

  std::string root_;
  std::string srcarch_;
  const DotConfig* config_;
  Progress* progress_;
  bool have_kconfig_ = false;
  KconfigSymbols symbols_;
  std::map<std::string, std::string> vars_;
  std::map<std::string, std::string> command_line_;
  std::unordered_map<std::string, size_t> module_index_;
  SourceAudit out_;
};

bool LooksLikeSourceTree(const std::string& root) {
  return IsRegularFile(JoinPath(root, "Kbuild")) || IsRegularFile(JoinPath(root, "Makefile"));
}

// ---- --against ----

void WalkInstalled(const std::string& dir, std::multimap<std::string, std::string>* out) {
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> subdirs;
  while (struct dirent* e = readdir(d)) {
    const std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    const std::string path = dir + "/" + n;
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN || type == DT_LNK) {
      struct stat st;
      // The `build` and `source` links of /lib/modules/* lead out of it.
      if (lstat(path.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) continue;
      type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
    }
    if (type == DT_DIR) {
      subdirs.push_back(path);
      continue;
    }
    for (std::string_view suffix : {".ko", ".ko.xz", ".ko.zst", ".ko.gz"}) {
      if (EndsWith(n, suffix) && n.size() > suffix.size()) {
        out->emplace(LoadName(std::string_view(n).substr(0, n.size() - suffix.size())), path);
        break;
      }
    }
  }
  closedir(d);
  for (const auto& s : subdirs) WalkInstalled(s, out);
}

std::string Absolute(const std::string& path) {
  char* r = realpath(path.c_str(), nullptr);
  if (!r) return path;
  std::string out(r);
  free(r);
  return out;
}

}  // namespace

namespace {

// " (it has: arm, x86)", or " (it has no arch/ directory)".
std::string ArchesOf(const std::string& tree) {
  DIR* d = opendir(JoinPath(tree, "arch").c_str());
  if (d == nullptr) return " (it has no arch/ directory)";
  std::vector<std::string> names;
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name[0] != '.' && IsDirectory(JoinPath(tree, "arch/" + name))) names.push_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return " (it has: " + s + ")";
}

}  // namespace

std::string SrcArchOf(std::string_view arch) {
  std::string a(arch);
  if (a.empty()) {
    struct utsname u;
    a = uname(&u) == 0 ? u.machine : "x86_64";
  }
  if (a == "x86_64" || a == "i386" || a == "i486" || a == "i586" || a == "i686" ||
      a == "amd64") {
    return "x86";
  }
  if (a == "aarch64" || a == "arm64") return "arm64";
  if (a.rfind("arm", 0) == 0 || a == "sa110") return "arm";
  if (a == "sparc64" || a == "sparc32") return "sparc";
  if (a == "parisc64") return "parisc";
  if (a == "sh64") return "sh";
  if (a == "ppc" || a == "ppc64" || a == "ppc64le") return "powerpc";
  if (a == "s390x") return "s390";
  if (a.rfind("mips", 0) == 0) return "mips";
  if (a.rfind("riscv", 0) == 0) return "riscv";
  if (a.rfind("loongarch", 0) == 0) return "loongarch";
  return a;
}

AuditResult RunAudit(const AuditOptions& options) {
  AuditResult result;
  if (options.tree.empty()) {
    result.error = "no TREE given";
    return result;
  }
  if (!IsDirectory(options.tree)) {
    result.error = "not a directory: " + options.tree;
    return result;
  }
  if (DIR* d = opendir(options.tree.c_str()); d != nullptr) {
    closedir(d);
  } else {
    result.error = "cannot read " + options.tree + ": " + strerror(errno);
    result.could_not_run = true;
    return result;
  }
  if (!options.arch.empty()) {
    const std::string srcarch = SrcArchOf(options.arch);
    if (!IsDirectory(JoinPath(options.tree, "arch/" + srcarch))) {
      result.error = "--arch " + options.arch + ": " + options.tree + " has no arch/" + srcarch +
                     ArchesOf(options.tree);
      return result;
    }
  }
  std::optional<DotConfig> config;
  if (!options.config_file.empty()) {
    std::string text;
    if (ReadFile(options.config_file, &text) != ReadStatus::kOk) {
      result.error = "cannot read config " + options.config_file;
      return result;
    }
    config = DotConfig::Parse(text);
    if (config->size() == 0) {
      result.error = options.config_file + " holds no CONFIG_ lines";
      return result;
    }
  }
  if (!options.against.empty() && !IsDirectory(options.against)) {
    result.error = "--against: not a directory: " + options.against;
    return result;
  }

  const std::string root = Absolute(options.tree);
  result.srcarch = SrcArchOf(options.arch);
  Progress progress(options.progress);
  Report& report = result.report;
  report.schema = kReportSchema;
  report.tree = root;
  report.backend = "audit";
  FindingList findings;

  // The whole-tree walk (for built artifacts) and the kbuild descent (a
  // few thousand files) are independent: run them side by side.
  TreeFiles files;
  Progress quiet(nullptr);
  std::thread walker([&] { Walk(root, "", &files, &quiet); });
  NameIndex predicted;
  result.source_tree = LooksLikeSourceTree(root);
  SourceAudit src;
  if (result.source_tree) {
    SourceTree tree(root, result.srcarch, config ? &*config : nullptr, &progress);
    tree.SetCommandLine(options.make_variables);
    src = tree.Run();
    result.module_sources = std::move(src.sources);
  }
  walker.join();
  report.statistics.watched_dirs = files.dirs;
  report.coverage.unwatched_dirs = files.unreadable_dirs.size();
  for (size_t i = 0; i < files.unreadable_dirs.size() && i < kMaxListedGaps; ++i) {
    report.coverage.unwatched_examples.push_back(files.unreadable_dirs[i]);
  }
  result.built_tree = !files.modules_orders.empty() || !files.kernel_objects.empty() ||
                      !files.new_mod_records.empty() || !files.old_mod_records.empty();
  NameIndex built;
  if (result.built_tree) AuditBuiltTree(root, files, &report, &findings, &built, &progress);
  built.ForEachClash([&](const std::string& name, const NameIndex::Entries& paths) {
    Finding& f =
        findings.Add(FindingKind::kModuleNameCollision, Severity::kError, Confidence::kCertain);
    f.module = name;
    for (const auto& [path, sightings] : paths) {
      f.paths.push_back(path);
      for (const auto& s : sightings) f.evidence.push_back(s.evidence);
    }
    f.message = std::to_string(paths.size()) + " built modules are named " + name +
                "; modules_install and modprobe keep only one";
  });

  if (result.source_tree) {
    report.statistics.files_tracked += src.files_read + src.kconfig_files;
    for (const Sighting& s : src.modules) {
      predicted.Add(s);
      result.modules.push_back(s.path + ".ko");
    }
    const bool latent = !config;
    const std::set<std::string> built_duplicates =
        findings.PathsOf(FindingKind::kDuplicateModulePath);
    predicted.ForEachClash([&](const std::string& name, const NameIndex::Entries& paths) {
      // The built artifacts already show it, with certainty.
      bool already_built = true;
      for (const auto& p : paths) already_built = already_built && built.HasPath(name, p.first);
      if (already_built) return;
      // A latent clash every config that reaches it builds is an error.
      bool every_config = true;
      for (const auto& p : paths) every_config = every_config && p.second.front().certain;
      Finding& f = findings.Add(FindingKind::kModuleNameCollision,
                                latent && !every_config ? Severity::kWarning : Severity::kError,
                                Confidence::kLikely);
      f.module = name;
      for (const auto& [path, sightings] : paths) {
        f.paths.push_back(path);
        for (const auto& s : sightings) f.evidence.push_back(s.evidence);
      }
      f.message = latent ? std::to_string(paths.size()) + " modules named " + name +
                               " can be configured as modules; a config building both " +
                               "fails modules-check"
                         : "this config builds " + std::to_string(paths.size()) +
                               " modules named " + name + "; modules-check will fail";
    });
    for (const auto& [path, sightings] : src.reached_twice) {
      if (built_duplicates.count(path)) continue;  // modules.order shows it
      Finding& f = findings.Add(FindingKind::kDuplicateModulePath, Severity::kWarning,
                                Confidence::kLikely);
      f.module = std::string(ModuleNameOf(path));
      f.paths = {path};
      for (const auto& s : sightings) f.evidence.push_back(s.evidence);
      f.message = path + ".ko is reached from " + std::to_string(sightings.size()) +
                  " Makefiles: two recursive makes build it at the same time";
    }
    if (!src.missing_dirs.empty() || !src.problems.empty()) {
      Finding& f = findings.Add(FindingKind::kCoverageGap, Severity::kInfo,
                                Confidence::kCertain);
      for (size_t i = 0; i < src.missing_dirs.size() && i < kMaxListedGaps; ++i) {
        f.paths.push_back(src.missing_dirs[i]);
      }
      for (size_t i = 0; i < src.problems.size() && i < kMaxListedGaps; ++i) {
        f.evidence.push_back({0, "", src.problems[i], std::nullopt});
      }
      f.message = std::to_string(src.missing_dirs.size()) +
                  " directories named by obj-* lines have no Kbuild or Makefile, " +
                  std::to_string(src.problems.size()) + " constructs were not evaluated";
    }
    report.backend_reason =
        std::string("source tree, ") +
        (latent ? "latent (every config)" : "config " + options.config_file) + ", arch " +
        result.srcarch + ": " + std::to_string(src.modules.size()) + " modules in " +
        std::to_string(src.dirs) + " directories, " + std::to_string(src.kconfig_symbols) +
        " Kconfig symbols";
  }
  if (result.built_tree) {
    report.backend_reason += std::string(report.backend_reason.empty() ? "" : "; ") +
                             "built tree: " + std::to_string(built.PathCount()) + " modules";
  }
  if (!result.source_tree) result.modules.clear();
  if (!result.source_tree) {
    for (const auto& p : built.Paths()) result.modules.push_back(p + ".ko");
  }
  std::sort(result.modules.begin(), result.modules.end());
  report.statistics.modules_seen = result.modules.size();

  if (!options.against.empty()) {
    std::multimap<std::string, std::string> installed;
    WalkInstalled(Absolute(options.against), &installed);
    const NameIndex& mine = result.built_tree ? built : predicted;
    std::set<std::string> done;
    for (const std::string& path : mine.Paths()) {
      const std::string name(ModuleNameOf(path));
      auto [lo, hi] = installed.equal_range(LoadName(name));
      if (lo == hi || !done.insert(path).second) continue;
      Finding& f = findings.Add(FindingKind::kModuleNameCollision, Severity::kWarning,
                                Confidence::kCertain);
      f.module = name;
      f.paths = {path};
      for (auto it = lo; it != hi; ++it) {
        f.paths.push_back(it->second);
        f.evidence.push_back({0, it->second, "installed module of the same name", std::nullopt});
      }
      f.message = path + ".ko shadows the installed " + name +
                  " module; which one modprobe loads depends on depmod's search order";
    }
  }

  report.findings = findings.Take();
  report.complete = report.coverage.Complete();
  progress.Done();
  result.ok = true;
  return result;
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "client/audit.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "analyzer/analyzer.h"
#include "analyzer/analyzer_report.h"
#include "analyzer/artifact_path.h"
#include "analyzer/finding_causes.h"
#include "kbuild/dot_config.h"
#include "analyzer/module_index.h"
#include "client/finding_sources.h"
#include "kbuild/predicted_findings.h"
#include "kbuild/source_tree.h"
#include "common/dir_walk.h"
#include "common/file_kind.h"
#include "common/plural.h"
#include "common/strings.h"
#include "common/content_reader.h"
#include "proto/version.h"

namespace modrace {

namespace {

// Source files bigger than this are not kbuild's; they count as unreadable.
constexpr size_t kMaxSourceBytes = 16 << 20;
constexpr size_t kMaxListedGaps = 10;

// `dir`/`name`, or `name` alone when dir is "" (the tree's top).
std::string Under(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

// The whole of a source file (Kbuild, Makefile, Kconfig, .config), through
// symlinks as make and Kconfig follow them.
std::optional<std::string> ReadFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || out.size() + static_cast<size_t>(n) > kMaxSourceBytes) {
      close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

// Rate-limits progress lines.
class Progress {
 public:
  explicit Progress(std::function<void(std::string_view)> sink) : sink_(std::move(sink)) {}
  void Tick(const std::string& line) {
    if (!sink_ || (++ticks_ % 256) != 0) return;
    sink_(line);
  }
  void Done() {
    if (sink_) sink_("");
  }

 private:
  std::function<void(std::string_view)> sink_;
  uint64_t ticks_ = 0;
};

// What the whole-tree walk finds.
struct TreeFiles {
  std::vector<std::string> artifacts;  // the kbuild artifacts, relative paths
  uint64_t dirs = 0;
  std::vector<std::string> unreadable_dirs;
};

// `root` is a real path (no symlink in it); below it no symlink is
// followed (common/dir_walk.h).
void Walk(const std::string& root, const std::string& rel, TreeFiles* files) {
  std::vector<std::string> subdirs;
  const int dfd = OpenDirNoFollow(Under(root, rel));
  const bool listed = dfd >= 0 && ListDir(dfd, [&](const char* n, WalkType type) {
    const std::string child = Under(rel, n);
    if (type == WalkType::kDir) {
      if (std::strcmp(n, ".git") != 0) subdirs.push_back(child);
    } else if (type == WalkType::kFile && ClassifyArtifact(child) != ArtifactKind::kOther) {
      files->artifacts.push_back(child);
    }
  });
  if (!listed) {
    files->unreadable_dirs.push_back(rel.empty() ? "." : rel);
    return;
  }
  ++files->dirs;
  std::sort(subdirs.begin(), subdirs.end());
  for (const auto& s : subdirs) Walk(root, s, files);
}

// Feeds the built artifacts to the analyzer as the daemon's start-up scan
// does (daemon/inotify_source.cc, ScanInto): one kExisting event a file,
// with its content for the artifacts whose content the rules read, and a
// kUnreadable event when that content cannot be read.
void FeedBuiltTree(const std::string& root, const TreeFiles& files, Analyzer* analyzer,
                   Report* report, Progress* progress) {
  uint64_t seq = 0;
  for (const std::string& rel : files.artifacts) {
    FsEvent e;
    e.seq = ++seq;
    e.kind = EventKind::kExisting;
    e.path = rel;
    std::string unreadable;
    if (WantsContent(rel)) {
      ++report->statistics.files_tracked;
      progress->Tick("reading " + rel);
      ContentSnapshot snap = ReadContent(AT_FDCWD, Under(root, rel));
      if (snap.ok) {
        e.content = std::move(snap.bytes);
        e.content_truncated = snap.truncated;
      } else if (!snap.gone()) {  // gone since the walk: no gap
        unreadable = snap.error;
      }
    }
    analyzer->Consume(e);
    if (unreadable.empty()) continue;
    FsEvent u;
    u.seq = ++seq;
    u.kind = EventKind::kUnreadable;
    u.path = rel;
    u.detail = "content could not be read: " + unreadable;
    analyzer->Consume(u);
  }
}

// --against: every installed *.ko, *.ko.xz, *.ko.zst or *.ko.gz under dir
// (a real path), by canonical module name. Symlinks are not followed: the
// `build` and `source` links of /lib/modules/* lead out of it.
void WalkInstalled(const std::string& dir, std::multimap<std::string, std::string>* out) {
  WalkTree(dir, "", [&](const std::string& rel, WalkType type) {
    if (type != WalkType::kFile) return;
    const std::string_view n = std::string_view(rel).substr(rel.rfind('/') + 1);
    for (std::string_view suffix : {".ko.xz", ".ko.zst", ".ko.gz", ".ko"}) {
      if (n.size() > suffix.size() && EndsWith(n, suffix)) {
        out->emplace(ModuleIndex::CanonicalName(std::string(n.substr(0, n.size() - suffix.size()))),
                     Under(dir, rel));
        break;
      }
    }
  });
}

// `path` resolved, or as given when it cannot be (the walk then says what
// it could not read).
std::string Absolute(const std::string& path) {
  std::string real = RealPath(path);
  return real.empty() ? path : real;
}

// " (it has: arm, x86)", or " (it has no arch/ directory)".
std::string ArchesOf(const std::string& tree) {
  DIR* d = opendir(Under(tree, "arch").c_str());
  if (d == nullptr) return " (it has no arch/ directory)";
  std::vector<std::string> names;
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name[0] != '.' && IsDirectory(Under(tree, "arch/" + name))) names.push_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return " (it has: " + s + ")";
}

// The options checked before any walk: false with result->error set.
bool CheckOptions(const AuditOptions& options, std::optional<DotConfig>* config,
                  AuditResult* result) {
  if (options.tree.empty()) {
    result->error = "no TREE given";
    return false;
  }
  if (!IsDirectory(options.tree)) {
    result->error = "not a directory: " + options.tree;
    return false;
  }
  if (DIR* d = opendir(options.tree.c_str()); d != nullptr) {
    closedir(d);
  } else {
    result->error = "cannot read " + options.tree + ": " + strerror(errno);
    result->could_not_run = true;
    return false;
  }
  if (!options.arch.empty()) {
    const std::string srcarch = SrcArchOf(options.arch);
    if (!IsDirectory(Under(options.tree, "arch/" + srcarch))) {
      result->error = "--arch " + options.arch + ": " + options.tree + " has no arch/" +
                      srcarch + ArchesOf(options.tree);
      return false;
    }
  }
  if (!options.config_file.empty()) {
    const auto text = ReadFile(options.config_file);
    if (!text) {
      result->error = "cannot read config " + options.config_file;
      return false;
    }
    *config = DotConfig::Parse(*text);
    if ((*config)->size() == 0) {
      result->error = options.config_file + " holds no CONFIG_ lines";
      return false;
    }
  }
  if (!options.against.empty() && !IsDirectory(options.against)) {
    result->error = "--against: not a directory: " + options.against;
    return false;
  }
  return true;
}

// The source tree's files, read from `root` for kbuild/source_tree.h.
SourceReader ReaderOf(const std::string& root, Progress* progress) {
  SourceReader r;
  r.read = [root](const std::string& path) -> std::optional<std::string> {
    if (!path.empty() && path[0] == '/') {
      if (path.compare(0, root.size(), root) != 0) return std::nullopt;
      return ReadFile(path);
    }
    return ReadFile(Under(root, path));
  };
  r.is_directory = [root](const std::string& rel) { return IsDirectory(Under(root, rel)); };
  r.progress = [progress](const std::string& line) { progress->Tick(line); };
  return r;
}

// Sorted by severity (errors first), kind, module, first path; ids 1..n.
void SortFindings(std::vector<Finding>* findings) {
  std::stable_sort(findings->begin(), findings->end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.module != b.module) return a.module < b.module;
    return a.paths < b.paths;
  });
  uint64_t id = 0;
  for (Finding& f : *findings) f.id = ++id;
}

std::set<std::string> PathsOf(const std::vector<Finding>& findings, FindingKind kind) {
  std::set<std::string> out;
  for (const Finding& f : findings) {
    if (f.kind == kind) out.insert(f.paths.begin(), f.paths.end());
  }
  return out;
}

std::string SourceSummary(const SourcePrediction& src, const AuditOptions& options,
                          const std::string& srcarch) {
  return std::string("source tree, ") +
         (options.config_file.empty() ? "latent (every config)"
                                      : "config " + options.config_file) +
         ", arch " + srcarch + ": " + Counted(src.modules.size(), "module", "modules") + " in " +
         Counted(src.dirs, "directory", "directories") + ", " +
         Counted(src.kconfig_symbols, "Kconfig symbol", "Kconfig symbols");
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

namespace {

// The built half: the analyzer's findings on the tree's artifacts.
void AuditBuilt(const std::string& root, const TreeFiles& files, Progress* progress,
                AuditResult* result, std::vector<std::string>* built_paths) {
  Report& report = result->report;
  report.statistics.watched_dirs = files.dirs;
  report.coverage.unwatched_dirs = files.unreadable_dirs.size();
  for (size_t i = 0; i < files.unreadable_dirs.size() && i < kMaxListedGaps; ++i) {
    report.coverage.unwatched_examples.push_back(files.unreadable_dirs[i]);
  }
  result->built_tree = !files.artifacts.empty();
  if (!result->built_tree) return;
  Analyzer analyzer(root);
  FeedBuiltTree(root, files, &analyzer, &report, progress);
  // The analyzer's findings and what it could not read; the walk's counts
  // and the source model's stay the audit's.
  const Report built = ReportOf(analyzer, {root, "audit", "", ""});
  report.findings = built.findings;
  report.coverage.unreadable_files = built.coverage.unreadable_files;
  report.coverage.oversized_files = built.coverage.oversized_files;
  *built_paths = analyzer.module_paths();
}

// The source half: the prediction and its findings beside the built ones.
void AuditSource(const SourcePrediction& src, const AuditOptions& options,
                 const std::vector<std::string>& built_paths, AuditResult* result) {
  Report& report = result->report;
  report.statistics.files_tracked += src.files_read + src.kconfig_files;
  for (const PredictedModule& m : src.modules) result->modules.push_back(m.path + ".ko");
  const std::set<std::string> built(built_paths.begin(), built_paths.end());
  AddPredictedFindings(src, options.config_file.empty(), built,
                       PathsOf(report.findings, FindingKind::kDuplicateModulePath),
                       &report.findings);
  report.backend_reason = SourceSummary(src, options, result->srcarch);
}

// The coverage_gap of a tree with no top Kbuild or Makefile and no built
// artifact.
Finding NothingToAudit(const TreeFiles& files) {
  Finding f;
  f.revision = 1;
  f.kind = FindingKind::kCoverageGap;
  f.severity = Severity::kWarning;
  f.confidence = Confidence::kCertain;
  f.gap_causes = {GapCause::kNothingToAudit};
  f.message = "nothing to audit: the tree has no top Kbuild or Makefile and no built kbuild "
              "artifact (modules.order, *.mod, *.ko) in " +
              Counted(files.dirs, "directory", "directories");
  return f;
}

}  // namespace

AuditResult RunAudit(const AuditOptions& options) {
  AuditResult result;
  std::optional<DotConfig> config;
  if (!CheckOptions(options, &config, &result)) return result;
  const std::string root = Absolute(options.tree);
  result.srcarch = SrcArchOf(options.arch);
  Progress progress(options.progress);
  Report& report = result.report;
  report.schema = kReportSchema;
  report.tree = root;
  report.backend = "audit";

  // The whole-tree walk (for built artifacts) and the kbuild descent (a
  // few thousand files) are independent: run them side by side.
  TreeFiles files;
  std::thread walker([&] { Walk(root, "", &files); });
  result.source_tree =
      IsRegularFile(Under(root, "Kbuild")) || IsRegularFile(Under(root, "Makefile"));
  SourcePrediction src;
  if (result.source_tree) {
    src = PredictSourceTree(result.srcarch, config ? &*config : nullptr,
                            ReaderOf(root, &progress), options.make_variables);
    result.module_sources = src.sources;
  }
  walker.join();
  std::sort(files.artifacts.begin(), files.artifacts.end());  // findings in one order
  std::vector<std::string> built_paths;
  AuditBuilt(root, files, &progress, &result, &built_paths);
  // Nothing here could hold a module (a checkout that did not happen, a
  // wrong path): not a clean tree. A warning, so --fail-on warning fails.
  const bool nothing = !result.source_tree && !result.built_tree;
  if (result.source_tree) AuditSource(src, options, built_paths, &result);
  if (result.built_tree) {
    report.backend_reason += std::string(report.backend_reason.empty() ? "" : "; ") +
                             "built tree: " + Counted(built_paths.size(), "module", "modules");
  }
  if (!result.source_tree) {
    for (const auto& p : built_paths) result.modules.push_back(p + ".ko");
  }
  std::sort(result.modules.begin(), result.modules.end());
  report.statistics.modules_seen = result.modules.size();
  if (!options.against.empty()) {
    std::multimap<std::string, std::string> installed;
    WalkInstalled(Absolute(options.against), &installed);
    std::vector<std::string> mine = built_paths;
    if (!result.built_tree) {
      for (const PredictedModule& m : src.modules) mine.push_back(m.path);
      std::sort(mine.begin(), mine.end());
    }
    AddShadowFindings(mine, installed, &report.findings);
  }
  // Built findings point at the lines that build their modules too.
  if (result.source_tree) AttachSources(src.sources, &report.findings);
  if (nothing) report.findings.push_back(NothingToAudit(files));
  SortFindings(&report.findings);
  AssignCauses(report.findings);
  report.complete = report.coverage.Complete() && !nothing;
  progress.Done();
  result.ok = true;
  return result;
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
#include "client/build_outputs.h"

#include <unistd.h>

#include <algorithm>

#include "client/make_command.h"
#include "common/file_kind.h"

namespace modrace {

namespace {

std::string CurrentDirectory() {
  char buf[4096];
  return getcwd(buf, sizeof buf) != nullptr ? std::string(buf) : std::string(".");
}

std::string Join(const std::string& base, const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  return base + "/" + path;
}

// `path` through its nearest existing ancestor's real path: the directory
// O= names is made by the build, so it may not exist before it starts.
std::string Resolve(const std::string& path) {
  std::string head = path;
  std::string tail;
  while (!head.empty()) {
    const std::string real = RealPath(head);
    if (!real.empty()) return tail.empty() ? real : (real == "/" ? "" : real) + tail;
    const size_t slash = head.rfind('/');
    if (slash == std::string::npos) return path;
    tail = head.substr(slash) + tail;
    head = head.substr(0, slash);
  }
  return path;
}

bool Inside(const std::string& path, const std::string& tree) {
  if (path == tree) return true;
  const std::string prefix = tree == "/" ? "/" : tree + "/";
  return path.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

std::string OutputsOutsideTree(const std::string& tree, const std::vector<std::string>& command,
                               const std::string& kbuild_output) {
  if (!IsMake(command) || !MakeVariableOf(command, "M").empty()) return "";
  std::string out = MakeVariableOf(command, "O");
  if (out.empty()) out = kbuild_output;
  if (out.empty()) return "";
  const std::string make_dir = Join(CurrentDirectory(), MakeDirectoryOf(command));
  const std::string dir = Resolve(Join(make_dir, out));
  const std::string root = RealPath(tree);
  if (root.empty() || Inside(dir, root)) return "";
  return dir;
}

std::string OutputsOutsideMessage(const std::string& dir) {
  return "the build writes its outputs to " + dir +
         " (O=), outside the watched tree: nothing it built was seen; watch that directory "
         "(--tree " + dir + ") or one holding both";
}

void NoteOutputsOutside(const std::string& dir, Report* report) {
  report->coverage.outputs_outside = dir;
  report->complete = false;
  Finding f;
  for (const Finding& other : report->findings) f.id = std::max(f.id, other.id);
  ++f.id;
  f.revision = 1;
  f.kind = FindingKind::kCoverageGap;
  f.severity = Severity::kWarning;
  f.confidence = Confidence::kCertain;
  f.gap_causes = {GapCause::kOutputsOutside};
  f.message = OutputsOutsideMessage(dir);
  f.evidence.push_back({0, dir, "O=" + dir + " on the build's command line (or KBUILD_OUTPUT)",
                        std::nullopt});
  report->findings.push_back(std::move(f));
}

}  // namespace modrace

// SPDX-License-Identifier: GPL-2.0-only
// `modrace audit TREE`: see client/audit.h.

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "client/audit.h"
#include "client/commands.h"
#include "client/exit_codes.h"
#include "client/format/report_output.h"

namespace modrace {

namespace {

struct AuditArgs {
  AuditOptions options;
  bool list_modules = false;
  OutputOptions output;
};

// One line, rewritten in place; only on a terminal.
void ShowProgress(std::string_view line) {
  if (line.empty()) {
    std::fputs("\r\033[K", stderr);
  } else {
    const std::string s(line.substr(0, 100));
    std::fprintf(stderr, "\r\033[Kmodrace audit: %s", s.c_str());
  }
  std::fflush(stderr);
}

int Run(AuditArgs& args) {
  if (isatty(STDERR_FILENO)) args.options.progress = ShowProgress;
  const AuditResult result = RunAudit(args.options);
  if (!result.ok) {
    std::cerr << "modrace audit: " << result.error << "\n";
    return result.could_not_run ? kExitWatcher : kExitUsage;
  }
  if (args.list_modules) {
    std::string out;
    for (const auto& m : result.modules) out += m + "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    return kExitClean;
  }
  RenderReport(result.report, ResolveFormat(args.output, isatty(STDOUT_FILENO)), std::cout);
  // What an audit could not read may hold a clash: not clean for a
  // pipeline that fails on warnings.
  if (!result.report.complete && args.output.fail_on == "warning") return kExitFindings;
  return ExitCodeFor(result.report, args.output.fail_on);
}

}  // namespace

CLI::App* DefineAuditCommand(CLI::App& app, CommandContext& ctx) {
  auto args = std::make_shared<AuditArgs>();
  CLI::App* cmd = app.add_subcommand(
      "audit",
      "Find module name clashes in a tree without building: from modules.order, .mod,\n"
      ".tmp_versions and .ko files of a built tree, and from the Kbuild/Makefile obj-*\n"
      "lines, Kconfig types (or a .config) of a source tree.");
  cmd->footer(
      "Exit: 0 clean, 1 findings at or above --fail-on (with --fail-on warning, also an\n"
      "incomplete audit: something could not be read), 2 bad usage or input (an --arch\n"
      "the tree has no arch/ directory for), 3 the tree itself cannot be read.");
  cmd->add_option("TREE", args->options.tree, "Tree to audit (built or source)")->required();
  cmd->add_option("--config", args->options.config_file,
                  "A .config: predict the modules it builds (default: every config)");
  cmd->add_option("--arch", args->options.arch,
                  "Kernel ARCH (default: the host's); the tree must have its arch/ directory");
  cmd->add_flag("--list-modules", args->list_modules,
                "Print the predicted module set, one dir/name.ko per line, sorted; exit 0");
  cmd->add_option("--against", args->options.against,
                  "Also report modules whose names shadow installed ones under DIR "
                  "(e.g. /lib/modules/$(uname -r))");
  AddOutputOptions(cmd, &args->output);
  cmd->callback([args, &ctx] { ctx.exit_code = Run(*args); });
  return cmd;
}

}  // namespace modrace

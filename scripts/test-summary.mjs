// Sums the vitest JSON reports of every package into the one line CI reads: "N passed, N failed".
// With --clean it deletes old reports first, so a package that did not run cannot count.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = ['packages', 'apps']
  .flatMap((group) =>
    existsSync(join(root, group)) ? readdirSync(join(root, group)).map((d) => join(root, group, d)) : [],
  )
  .map((dir) => join(dir, '.test-report.json'));

if (process.argv.includes('--clean')) {
  for (const r of reports) rmSync(r, { force: true });
  process.exit(0);
}

// With --after PID it first waits for that process (pnpm) to exit: when tests fail pnpm prints its
// own "Test failed" line after the script ends, and the summary must still be the last line.
const after = process.argv.indexOf('--after');
if (after >= 0) {
  const pid = Number(process.argv[after + 1]);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  while (alive()) await new Promise((resolve) => setTimeout(resolve, 50));
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of reports.filter(existsSync)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  // A suite that failed to load has no failed tests but must not pass silently.
  failed +=
    report.numFailedTests +
    (report.numFailedTestSuites && !report.numFailedTests ? report.numFailedTestSuites : 0);
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);

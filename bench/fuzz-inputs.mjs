// The input fuzz tests of @descent/datasets (packages/datasets/src/fuzz) at full size: 10,000
// mutated inputs per reader by default (CI runs a few hundred), seeded, printing the outcomes by
// kind. A failure (an error other than the project's typed ones, a case over 2 s, a result past
// the limit) fails the run and is listed with its case number and mutation, to reproduce it.
//
//   node bench/fuzz-inputs.mjs [--cases 10000]
//
// Not part of `pnpm bench` (it measures robustness, not speed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const at = process.argv.indexOf('--cases');
const cases = at > 0 ? Number(process.argv[at + 1]) : 10000;
if (!Number.isSafeInteger(cases) || cases < 1) {
  console.error(`--cases: expected a positive integer, found ${process.argv[at + 1]}`);
  process.exit(2);
}
const datasets = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'datasets');
const tmp = mkdtempSync(join(tmpdir(), 'fuzz-inputs-'));
const reportFile = join(tmp, 'reports.jsonl');
const started = Date.now();
const run = spawnSync('npx', ['vitest', 'run', 'src/fuzz', '--testTimeout=0', '--reporter=dot'], {
  cwd: datasets,
  env: { ...process.env, FUZZ_CASES: String(cases), FUZZ_REPORT: reportFile },
  encoding: 'utf8',
});
let reports = [];
try {
  reports = readFileSync(reportFile, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
} catch {}
rmSync(tmp, { recursive: true, force: true });

console.log(`input fuzzing: ${cases} cases per reader, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
console.log('| reader | cases | outcomes | slowest case | largest result |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of reports) {
  const outcomes = Object.entries(r.outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  console.log(`| ${r.target} | ${r.cases} | ${outcomes} | ${r.slowestMs} ms | ${r.largestOutput} |`);
}
const failures = reports.flatMap((r) => r.failures.map((f) => ({ target: r.target, ...f })));
for (const f of failures) console.log(`FAIL ${f.target} case ${f.case} (${f.how}): ${f.problem}`);
if (run.status !== 0 || reports.length === 0) {
  console.log(run.stdout.slice(-4000), run.stderr.slice(-4000));
  process.exit(1);
}

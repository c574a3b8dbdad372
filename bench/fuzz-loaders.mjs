// Runs the seeded fuzz tests of the safetensors and bundle loaders at a size too large for CI:
// `node bench/fuzz-loaders.mjs [cases]` (default 10,000 each). Each test fails on any error other
// than the loader's own typed one, a case slower than 2 s, a tensor left behind or a tensor above
// the limits, and prints its counts by mutation and outcome. The dist of @descent/layers and
// @descent/train must be built.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cases = process.argv[2] ?? '10000';
const root = fileURLToPath(new URL('..', import.meta.url));
const runs = [
  ['packages/layers', 'src/safetensors-fuzz.test.ts'],
  ['packages/train', 'src/bundle-fuzz.test.ts'],
];
let failed = false;
for (const [dir, file] of runs) {
  const result = spawnSync('npx', ['vitest', 'run', file, '--silent=false'], {
    cwd: `${root}/${dir}`,
    env: { ...process.env, DESCENT_FUZZ_CASES: cases },
    encoding: 'utf8',
  });
  const output = `${result.stdout}\n${result.stderr}`;
  const summary = output
    .split('\n')
    .filter((l) => /fuzz: \d+ cases/.test(l))
    .map((l) => l.slice(l.search(/\w+ fuzz: /)));
  console.log(summary.join('\n') || output);
  if (result.status !== 0) {
    failed = true;
    console.log(output);
  }
}
process.exit(failed ? 1 : 0);

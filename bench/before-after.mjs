// Before and after a change, in one run: descent's small networks (bench/small), its training
// throughput (bench/throughput, one thread and fitParallel on two) and the official MNIST recipe
// (bench/official), each case run by this checkout and by another, built checkout of an earlier
// commit, alternating round by round, one process per run. Prints medians and after/before ratios.
//
//   pnpm build && node bench/before-after.mjs --before ../baseline [--rounds 3] [--only small,throughput,official]
//
// `--before` is a folder holding an earlier checkout of this repository, installed and built
// (e.g. `git worktree add ../baseline <commit> && cd ../baseline && pnpm install && pnpm build`).
// Ratios are after / before of a figure where higher is better (samples/s) and before / after of
// one where lower is better (ms per step, seconds), so > 1 always means the change is faster.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const beforeRoot = option('before', undefined);
if (!beforeRoot) throw new Error('--before: expected the folder of a built earlier checkout');
const trees = { before: join(resolve(beforeRoot), 'bench'), after: here };
const rounds = Number(option('rounds', 3));
const only = option('only', 'small,throughput,official').split(',');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Runs a bench script of one tree; its last stdout line is JSON. */
function runJson(tree, script, scriptArgs) {
  const r = spawnSync(process.execPath, [join(trees[tree], script), ...scriptArgs], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${tree} ${script} ${scriptArgs.join(' ')}: ${(r.stderr || line).slice(-400)}`);
  }
}

/**
 * Each case: how to run it and the figures it yields as { name: value }. `higher` says which
 * direction is better for the ratio.
 */
const throughput = (runner, model, samples, epochs) => ({
  group: 'throughput',
  label: `${runner} wasm ${model}, ${samples} samples`,
  higher: true,
  run: (tree) => {
    const r = runJson(tree, 'throughput/run-case.mjs', [runner, 'wasm', model, samples, epochs]);
    // The first epoch is a warm-up; samples/s by wall and by the process's CPU time (all threads).
    return {
      'samples/s (wall)': Number(samples) / mean(r.wall.slice(1)),
      'samples/s (CPU)': Number(samples) / mean(r.cpu.slice(1)),
    };
  },
});

const cases = [
  ...['wasm', 'cpu'].map((backend) => ({
    group: 'small',
    label: `small nets, descent ${backend}`,
    higher: false,
    run: (tree) => {
      const r = runJson(tree, 'small/run-descent.mjs', ['--backend', backend]);
      return Object.fromEntries(r.results.map((c) => [`${c.name} ms/step`, c.msPerStep]));
    },
  })),
  throughput('descent', 'mlp', '8192', '4'),
  throughput('descent', 'cnn', '4096', '3'),
  throughput('descent-2w', 'mlp', '8192', '4'),
  throughput('descent-2w', 'cnn', '4096', '3'),
  {
    group: 'official',
    label: 'descent train --dataset mnist (CLI defaults)',
    higher: false,
    run: (tree) => {
      const r = runJson(tree, 'official/run-descent.mjs', ['mnist']);
      return { 'wall s': r.wall, 'train s': r.train, 'test accuracy': r.accuracy };
    },
  },
].filter((c) => only.includes(c.group));

const figures = new Map(cases.map((c) => [c, { before: [], after: [] }]));
console.log(
  `before: ${trees.before}\nafter:  ${trees.after}\nload at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (let round = 0; round < rounds; round++) {
  // Alternate which tree goes first, so neither always meets a warmer or cooler machine.
  const order = round % 2 ? ['after', 'before'] : ['before', 'after'];
  for (const c of cases) {
    for (const tree of order) figures.get(c)[tree].push(c.run(tree));
  }
  console.log(`round ${round + 1}/${rounds} done, load ${loadavg()[0].toFixed(2)}`);
}

const lines = [
  '| case | figure | before | after | ratio (> 1: faster after) |',
  '| --- | --- | --- | --- | --- |',
];
for (const c of cases) {
  const { before, after } = figures.get(c);
  for (const name of Object.keys(before[0])) {
    const b = median(before.map((f) => f[name]));
    const a = median(after.map((f) => f[name]));
    const accuracy = name.includes('accuracy');
    const ratio = accuracy ? '' : (c.higher ? a / b : b / a).toFixed(3);
    const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(3) : x.toPrecision(3));
    lines.push(`| ${c.label} | ${name} | ${fmt(b)} | ${fmt(a)} | ${ratio} |`);
  }
}
console.log(
  `\nmedians over ${rounds} rounds, load at end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
console.log(lines.join('\n'));

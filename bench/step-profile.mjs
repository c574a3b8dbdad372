// Where one training step's milliseconds go: descent's Learner on the MLP (784-128-64-10) and
// the small CNN of training-throughput.mjs, batch 64 unless --batch says, Adam, on WASM (descent's Node default).
//
//   pnpm build && node bench/step-profile.mjs [--steps 32] [--batch 64] [--backend wasm] [--top 10]
//
// The steps are a real `Learner.fit` over `steps` batches. Per step: wall and CPU time without
// profiling (median of 5 such fits after a warm-up), then tf.profile over one more fit with
// tfjs's clock pointed at the process's CPU time, so that other jobs on the machine do not
// inflate the kernels' figures. "Outside kernels" is the step's CPU time minus the kernels' sum:
// JS, tfjs's engine and tape bookkeeping, host-side batch gathering and tensor uploads.

import { simpleCnn } from '@descent/cnn';
import { Linear, ReLU, Sequential } from '@descent/layers';
import { Adam } from '@descent/optim';
import { initBackend, tf } from '@descent/tensor';
import { Learner } from '@descent/train';
import { cpuMs, median, profileOnCpuClock } from './cnn-step.mjs';
import { shuffledDigits } from './mnist-digits.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const STEPS = Number(option('steps', 32));
const TOP = Number(option('top', 10));
const BATCH = Number(option('batch', 64));
const backend = option('backend', 'wasm');

await initBackend({ backend });
tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
const n = STEPS * BATCH;
const digits = await shuffledDigits(n);
const data = { X: { data: digits.X, rows: digits.n, cols: 784 }, y: digits.y };

const models = {
  MLP: () => ({
    net: new Sequential([
      new Linear(784, 128, { seed: 1 }),
      new ReLU(),
      new Linear(128, 64, { seed: 2 }),
      new ReLU(),
      new Linear(64, 10, { seed: 3 }),
    ]),
  }),
  CNN: () => ({
    net: simpleCnn({ inputShape: [1, 28, 28], classes: 10, channels: [8, 16], seed: 1 }),
    inputShape: [1, 28, 28],
  }),
};

async function profileModel(name) {
  const { net, inputShape } = models[name]();
  const learner = new Learner(net, {
    loss: 'crossEntropy',
    optimizer: new Adam(net.parameters()),
    inputShape,
  });
  const fit = () => learner.fit(data, { epochs: 1, batchSize: BATCH, seed: 1 });
  await fit();
  const wall = [];
  const cpu = [];
  for (let r = 0; r < 5; r++) {
    const w0 = performance.now();
    const c0 = cpuMs();
    await fit();
    cpu.push((cpuMs() - c0) / STEPS);
    wall.push((performance.now() - w0) / STEPS);
  }
  const profile = await profileOnCpuClock(tf, fit);
  const byName = new Map();
  for (const k of profile.kernels) {
    const entry = byName.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += Number(k.kernelTimeMs) / STEPS;
    entry.calls += 1 / STEPS;
    byName.set(k.name, entry);
  }
  const kernels = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const kernelSum = kernels.reduce((s, [, e]) => s + e.ms, 0);
  const calls = kernels.reduce((s, [, e]) => s + e.calls, 0);
  for (const p of net.parameters()) p.variable.dispose();
  learner.optimizer.dispose();
  return { name, wall: median(wall), cpu: median(cpu), kernels, kernelSum, calls };
}

const lines = [
  `descent \`Learner.fit\` on ${backend}, batch ${BATCH}, Adam; per step: median of 5 fits of ${STEPS} steps; kernel CPU ms from tf.profile over one more fit.`,
];
for (const name of Object.keys(models)) {
  const r = await profileModel(name);
  const pct = (ms) => `${((100 * ms) / r.cpu).toFixed(0)} %`;
  lines.push(
    '',
    `**${name}**: ${r.wall.toFixed(2)} ms wall, ${r.cpu.toFixed(2)} ms CPU per step ` +
      `(${Math.round((BATCH * 1000) / r.wall).toLocaleString('en')} samples/s wall); ` +
      `${r.calls.toFixed(0)} kernel calls per step, kernels ${r.kernelSum.toFixed(2)} ms (${pct(r.kernelSum)}), ` +
      `outside kernels ${(r.cpu - r.kernelSum).toFixed(2)} ms (${pct(r.cpu - r.kernelSum)}).`,
    '',
    '| kernel | CPU ms / step | share of step | calls / step |',
    '| --- | --- | --- | --- |',
  );
  for (const [kernel, e] of r.kernels.slice(0, TOP)) {
    lines.push(`| ${kernel} | ${e.ms.toFixed(3)} | ${pct(e.ms)} | ${e.calls.toFixed(0)} |`);
  }
  const rest = r.kernels.slice(TOP);
  if (rest.length) {
    const ms = rest.reduce((s, [, e]) => s + e.ms, 0);
    const c = rest.reduce((s, [, e]) => s + e.calls, 0);
    lines.push(`| ${rest.length} other kernels | ${ms.toFixed(3)} | ${pct(ms)} | ${c.toFixed(0)} |`);
  }
}
console.log(lines.join('\n'));

// What intra-op threading (one kernel split over two threads, as PyTorch's pool does) would give
// descent's training step at batch 64 on WASM, measured without touching the library (issue 17's
// "two cores that pay", against the replica workers of `fitParallel`).
//
//   pnpm build && node bench/intra-op-probe.mjs [--runs 100] [--spin-ms 50] [--steps 16] [--json out.json]
//
// For each kernel that dominates a step (intra-op-kernels.mjs: the MLP's big matrix products, the
// CNN's convolutions and their gradients):
// (a) one thread: the whole kernel on this thread's wasm backend;
// (b) two threads: this thread computes one half while one persistent worker thread (its own
//     tfjs wasm backend, started once) computes the other. The worker's inputs go through a
//     SharedArrayBuffer (this thread copies its half out of the WASM heap, the worker copies it
//     into a tensor), the worker writes its output there, and the two meet with Atomics (spin,
//     then sleep); this thread then stacks or adds the halves into one tensor. The time covers
//     all of it: hand-off, copies, the join and the combine. Weights stay resident in the
//     worker (uploaded once, as a real design would keep a step's parameters), and in a second
//     column they are sent with every call.
// The empty hand-off (a round trip that computes nothing) is the synchronisation alone.
// Then, with tf.profile of a real Learner step (CPU clock, as bench/step-profile.mjs), the
// fraction f of the step spent in these kernels and Amdahl's estimate 1 / ((1 − f) + f / s) of the
// two-thread step, s the kernels' combined speedup (their step time over their split time).
// The worker spins `--spin-ms` before sleeping, as an OpenMP pool spins between kernels: waking
// a sleeping thread costs the waker about 1 ms here (see train/src/parallel/spin-wait.ts).

import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { initBackend, tf, valuesView } from '@descent/tensor';
import {
  copyHalf,
  DONE,
  halfTensor,
  KERNEL,
  KERNELS,
  layout,
  READY,
  REQUEST,
  SEND_WEIGHTS,
  WORKER_TENTHS_US,
  waitWhile,
} from './intra-op-kernels.mjs';
import { profileStep } from './intra-op-step.mjs';
import { rerunWithTurboFan } from './turbofan.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(option('runs', 100));
const SPIN_MS = Number(option('spin-ms', 50));
const STEPS = Number(option('steps', 16));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const now = () => performance.now();
const loadAtStart = loadavg()[0];

rerunWithTurboFan();
await initBackend({ backend: 'wasm' });
tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);

// Inputs, seeded, and each kernel's output size (for the shared buffer's layout).
const inputs = KERNELS.map((k, i) =>
  Object.fromEntries(
    Object.entries(k.inputs).map(([n, s], j) => [n, tf.randomNormal(s, 0, 1, 'float32', 100 * i + j)]),
  ),
);
const outSizes = KERNELS.map((k, i) => tf.tidy(() => k.op(inputs[i]).size));
const layouts = KERNELS.map((k, i) => layout(k, outSizes[i]));
const ctl = new Int32Array(new SharedArrayBuffer(8 * 4));
const data = new Float32Array(new SharedArrayBuffer(4 * Math.max(...layouts.map((l) => l.end))));
const weights = KERNELS.map((k, i) => Object.fromEntries(k.weights.map((n) => [n, inputs[i][n].dataSync()])));
const worker = new Worker(new URL('./intra-op-kernels.mjs', import.meta.url), {
  workerData: { intraOp: true, spinMs: SPIN_MS, ctl: ctl.buffer, data: data.buffer, weights },
});
worker.on('error', (e) => {
  console.error(e);
  process.exit(1);
});
while (Atomics.load(ctl, READY) !== 1) await new Promise((r) => setTimeout(r, 10));

let request = 0;
/** One hand-off to the worker and back: kernel `k` (-1: nothing, -2: stop). */
function signal(k, sendWeights) {
  Atomics.store(ctl, KERNEL, k);
  Atomics.store(ctl, SEND_WEIGHTS, sendWeights ? 1 : 0);
  Atomics.store(ctl, REQUEST, ++request);
  Atomics.notify(ctl, REQUEST);
  return request;
}

/** The last two-thread call's phases in ms: hand-off copies, own half, join wait, worker's half. */
const phases = { copy: 0, mine: 0, join: 0, worker: 0 };

/** (b): kernel `k` on two threads, this one computing half 0 and the worker half 1. */
function twoThreads(k, sendWeights) {
  const t0 = now();
  const kernel = KERNELS[k];
  const { offsets, outOffset } = layouts[k];
  for (const [name, shape] of Object.entries(kernel.inputs)) {
    if (sendWeights || !kernel.weights.includes(name))
      copyHalf(data.subarray(offsets[name]), valuesView(inputs[k][name]), shape, kernel.split[name], 1);
  }
  const tCopied = now();
  const ticket = signal(k, sendWeights);
  const mine = tf.tidy(() =>
    kernel.op(
      Object.fromEntries(Object.entries(inputs[k]).map(([n, t]) => [n, halfTensor(t, kernel.split[n], 0)])),
    ),
  );
  const t1 = now();
  waitWhile(ctl, DONE, ticket - 1, 1e9);
  phases.copy = tCopied - t0;
  phases.mine = t1 - tCopied;
  phases.join = now() - t1;
  phases.worker = Atomics.load(ctl, WORKER_TENTHS_US) / 1e4;
  const theirs = tf.tensor(data.subarray(outOffset, outOffset + mine.size), mine.shape);
  const y = kernel.out === 'rows' ? tf.concat([mine, theirs], 0) : tf.add(mine, theirs);
  tf.dispose([mine, theirs]);
  return y;
}

const oneThread = (k) => KERNELS[k].op(inputs[k]);

function timed(f) {
  const t0 = now();
  const y = f();
  const t = now() - t0;
  tf.dispose(y);
  return t;
}

// The empty hand-off, then each kernel: (a), (b) with resident weights, (b) sending them,
// interleaved call by call so that a change in the machine's load hits all three alike.
const handoff = [];
for (let i = 0; i < 5 * RUNS; i++) {
  const t0 = now();
  waitWhile(ctl, DONE, signal(-1, false) - 1, 1e9);
  if (i >= RUNS) handoff.push(now() - t0);
}
const rows = KERNELS.map((kernel, k) => {
  const whole = oneThread(k);
  const split = twoThreads(k, false);
  const splitSent = twoThreads(k, true);
  const maxAbs = (t) => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]);
  const maxDiff =
    Math.max(
      tf.tidy(() => maxAbs(tf.sub(whole, split))),
      tf.tidy(() => maxAbs(tf.sub(whole, splitSent))),
    ) / maxAbs(whole);
  tf.dispose([whole, split, splitSent]);
  const a = [];
  const b = [];
  const bSent = [];
  const parts = { copy: [], mine: [], join: [], worker: [] };
  for (let i = -3; i < RUNS; i++) {
    const ta = timed(() => oneThread(k));
    const tb = timed(() => twoThreads(k, false));
    const split = { ...phases };
    const tbSent = timed(() => twoThreads(k, true));
    if (i < 0) continue; // warm-up
    a.push(ta);
    b.push(tb);
    bSent.push(tbSent);
    for (const p of Object.keys(parts)) parts[p].push(split[p]);
  }
  return {
    model: kernel.model,
    name: kernel.name,
    key: kernel.key,
    oneMs: median(a),
    twoMs: median(b),
    twoSentMs: median(bSent),
    speedup: median(a) / median(b),
    speedupSent: median(a) / median(bSent),
    maxRelDiff: maxDiff,
    // Weights resident: this thread's copies and half, its wait at the join, the worker's half.
    phasesMs: Object.fromEntries(Object.entries(parts).map(([p, xs]) => [p, median(xs)])),
  };
});
signal(-2, false);
await new Promise((r) => worker.once('exit', r));
tf.dispose(inputs.flatMap((r) => Object.values(r)));

// A real Learner step per model: its CPU time and the tf.profile CPU time of each kernel above.
async function stepShares(model) {
  const { stepMs, byKey } = await profileStep(model, STEPS);
  // Kernels that share a key (layer 2's input and weight gradients) share its time in
  // proportion to their one-thread times.
  const mine = rows.filter((r) => r.model === model);
  for (const r of mine) {
    if (!byKey.has(r.key)) console.warn(`${model} step: no kernel "${r.key}" in tf.profile; f leaves it out`);
    const peers = mine.filter((p) => p.key === r.key);
    r.stepMs = ((byKey.get(r.key) ?? 0) * r.oneMs) / peers.reduce((s, p) => s + p.oneMs, 0);
  }
  const inKernels = mine.reduce((s, r) => s + r.stepMs, 0);
  const f = inKernels / stepMs;
  const amdahl = (field) => {
    const s = inKernels / mine.reduce((t, r) => t + r.stepMs / r[field], 0);
    return { s, estimate: 1 / (1 - f + f / s) };
  };
  return {
    model,
    stepMs,
    kernelsMs: inKernels,
    f,
    resident: amdahl('speedup'),
    sent: amdahl('speedupSent'),
    // The most splitting these kernels could give: both halves at full speed, nothing else.
    ceiling: 1 / (1 - f + f / 2),
  };
}
const steps = [await stepShares('mlp'), await stepShares('cnn')];

const machine = `${cpus()[0]?.model.trim()}, ${cpus().length} cores; Node ${process.version}; load ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end (a loaded machine makes the join wait for the worker's turn on a core)`;
const f2 = (x) => x.toFixed(2);
const lines = [
  `Machine: ${machine}.`,
  `tfjs-backend-wasm ${tf.version_core} with @descent/tensor's kernels; median of ${RUNS} calls; worker spins ${SPIN_MS} ms before sleeping.`,
  '',
  `Empty hand-off (signal, worker acknowledges, join): ${(1000 * median(handoff)).toFixed(1)} µs median.`,
  '',
  '| model | kernel | 1 thread ms | 2 threads ms (weights resident) | speedup | 2 threads ms (weights sent each call) | speedup | max rel. diff |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.model} | ${r.name} | ${r.oneMs.toFixed(3)} | ${r.twoMs.toFixed(3)} | ${f2(r.speedup)}× | ${r.twoSentMs.toFixed(3)} | ${f2(r.speedupSent)}× | ${r.maxRelDiff.toExponential(1)} |`,
  ),
  '',
  "Where a two-thread call (weights resident) goes, medians in ms: this thread copying the worker's",
  'inputs out, then computing its own half (its input copies included), then waiting at the join;',
  "the worker's half (its copies in and out included); the rest of the call is the combine.",
  '',
  "| model | kernel | hand-off copies | own half | join wait | worker's half |",
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.model} | ${r.name} | ${r.phasesMs.copy.toFixed(3)} | ${r.phasesMs.mine.toFixed(3)} | ${r.phasesMs.join.toFixed(3)} | ${r.phasesMs.worker.toFixed(3)} |`,
  ),
  '',
  `Whole step (Learner.fit, batch 64, Adam, ${STEPS} steps; CPU ms per step, kernels' CPU ms from tf.profile):`,
  '',
  '| model | step ms | split kernels ms | f | s (resident) | 2-thread step estimate | s (sent) | estimate | ceiling (s = 2) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...steps.map(
    (s) =>
      `| ${s.model} | ${f2(s.stepMs)} | ${f2(s.kernelsMs)} | ${f2(s.f)} | ${f2(s.resident.s)}× | ${f2(s.resident.estimate)}× | ${f2(s.sent.s)}× | ${f2(s.sent.estimate)}× | ${f2(s.ceiling)}× |`,
  ),
  '',
  "Issue 17's goal, 2 threads ≥ 1.6× one, needs f ≥ 0.75 even at s = 2 (1 / (0.25 + 0.75 / 2) = 1.6).",
];
console.log(lines.join('\n'));
const file = option('json', '');
if (file) {
  const json = { machine, runs: RUNS, spinMs: SPIN_MS, handoffMs: median(handoff), kernels: rows, steps };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

// Conv2DBackpropFilter and MaxPoolGrad on WASM: @descent/tensor's WebAssembly SIMD kernels against
// its previous paths (im2col + XNNPACK matmul; the JavaScript MaxPoolGrad loop; XNNPACK for a row
// times a matrix, the CNN's bias gradient), which the tfjs flag DESCENT_WASM_SIMD_GRADS=false
// still selects. Both in this process, alternating call by call; medians of the process's CPU
// time (and wall time) per call, fresh inputs every call. Then one training step of the issue-7
// CNN (descent's Learner, simpleCnn, batch 64, Adam) both ways, where its kernel time goes, and
// how far the two paths' outputs are apart.
//   pnpm --filter @descent/tensor build && node bench/throughput/pool-conv-grad.mjs [--runs 15] [--steps 8]
import { loadavg } from 'node:os';
import { simpleCnn } from '@descent/cnn';
import { toNCHW } from '@descent/datasets/images';
import { loadMnist } from '@descent/datasets/node';
import { Adam } from '@descent/optim';
import { initBackend, tf } from '@descent/tensor';
import { Learner } from '@descent/train';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS = Math.max(5, option('runs', 15));
const STEPS = Math.max(2, option('steps', 8));
const FLAG = 'DESCENT_WASM_SIMD_GRADS';
const WAYS = [
  ['old', false],
  ['new', true],
];

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fmt = (x) => `${x.toFixed(3)} ms`;

await initBackend({ backend: 'wasm' });
const backend = tf.backend();

/**
 * Median CPU and wall ms of `fn(input)` for each way, alternating which goes first; `prepare`
 * (untimed) makes fresh inputs per call, as in training (XNNPACK caches nothing between them).
 */
function compare(fn, prepare, cleanup) {
  const t = Object.fromEntries(WAYS.map(([w]) => [w, { cpu: [], wall: [] }]));
  for (let i = 0; i <= RUNS; i++) {
    const order = i % 2 ? [...WAYS].reverse() : WAYS;
    for (const [way, on] of order) {
      tf.env().set(FLAG, on);
      const input = prepare();
      const c0 = cpuMs();
      const w0 = performance.now();
      const out = fn(input);
      const w1 = performance.now();
      const c1 = cpuMs();
      cleanup(input, out);
      if (i > 0) {
        t[way].cpu.push(c1 - c0);
        t[way].wall.push(w1 - w0);
      }
    }
  }
  tf.env().set(FLAG, true);
  return Object.fromEntries(WAYS.map(([w]) => [w, { cpu: median(t[w].cpu), wall: median(t[w].wall) }]));
}

/** max |new − old| / max |old| over one call on the same inputs. */
function gap(fn, prepare, cleanup) {
  const input = prepare();
  const values = {};
  for (const [way, on] of WAYS) {
    tf.env().set(FLAG, on);
    const out = fn(input);
    values[way] = backend.readSync(out.dataId).slice();
    backend.disposeData(out.dataId);
  }
  tf.env().set(FLAG, true);
  cleanup(input);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < values.old.length; i++) {
    diff = Math.max(diff, Math.abs(values.new[i] - values.old[i]));
    scale = Math.max(scale, Math.abs(values.old[i]));
  }
  return diff / Math.max(scale, 1e-30);
}

const run = (name, inputs, attrs) => tf.engine().runKernel(name, inputs, attrs);
const release = (input, out) => {
  tf.dispose(Object.values(input));
  if (out) tf.dispose(out);
};

const convs = [
  {
    label: 'CNN conv1 3x3 1->8 same, x [64,28,28,1]',
    x: [64, 28, 28, 1],
    f: [3, 3, 1, 8],
    s: 1,
    pad: 'same',
  },
  {
    label: 'CNN conv2 3x3 8->16 same, x [64,14,14,8]',
    x: [64, 14, 14, 8],
    f: [3, 3, 8, 16],
    s: 1,
    pad: 'same',
  },
  { label: '3x3 1->8 valid, x [64,28,28,1]', x: [64, 28, 28, 1], f: [3, 3, 1, 8], s: 1, pad: 'valid' },
  { label: '3x3 8->16 valid, x [64,13,13,8]', x: [64, 13, 13, 8], f: [3, 3, 8, 16], s: 1, pad: 'valid' },
  { label: '3x3 16->32 same, x [64,14,14,16]', x: [64, 14, 14, 16], f: [3, 3, 16, 32], s: 1, pad: 'same' },
  { label: '3x3 8->16 s2 same, x [64,28,28,8]', x: [64, 28, 28, 8], f: [3, 3, 8, 16], s: 2, pad: 'same' },
  { label: '5x5 3->12 same, x [16,32,32,3]', x: [16, 32, 32, 3], f: [5, 5, 3, 12], s: 1, pad: 'same' },
  {
    label: '3x3 32->64 same, batch 1, x [1,28,28,32]',
    x: [1, 28, 28, 32],
    f: [3, 3, 32, 64],
    s: 1,
    pad: 'same',
  },
];
const pools = [
  { label: 'CNN pool1 2x2 s2, x [64,28,28,8]', x: [64, 28, 28, 8], k: 2, s: 2, pad: 'valid' },
  { label: 'CNN pool2 2x2 s2, x [64,14,14,16]', x: [64, 14, 14, 16], k: 2, s: 2, pad: 'valid' },
  { label: '2x2 s2 valid, odd, x [64,13,13,16]', x: [64, 13, 13, 16], k: 2, s: 2, pad: 'valid' },
  { label: '2x2 s2 same, odd, x [64,13,13,16]', x: [64, 13, 13, 16], k: 2, s: 2, pad: 'same' },
  { label: '3x3 s3 valid, x [64,27,27,8]', x: [64, 27, 27, 8], k: 3, s: 3, pad: 'valid' },
  { label: '2x2 s2, 64 channels, x [16,14,14,64]', x: [16, 14, 14, 64], k: 2, s: 2, pad: 'valid' },
  { label: '2x2 s2, batch 1, x [1,28,28,8]', x: [1, 28, 28, 8], k: 2, s: 2, pad: 'valid' },
  {
    label: '3x3 s1 same (overlapping: JS both), x [64,14,14,16]',
    x: [64, 14, 14, 16],
    k: 3,
    s: 1,
    pad: 'same',
  },
];

const rowProducts = [
  { label: 'ones[1,50176] @ g[50176,8] (conv1 bias grad)', k: 50176, n: 8 },
  { label: 'ones[1,12544] @ g[12544,16] (conv2 bias grad)', k: 12544, n: 16 },
  { label: 'ones[1,12544] @ g[12544,64]', k: 12544, n: 64 },
];

const load0 = loadavg()[0];
const rows = [];
for (const c of convs) {
  const out = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad).outShape;
  const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f };
  const prepare = () => ({ x: tf.randomNormal(c.x), dy: tf.randomNormal(out) });
  const fn = (i) => run('Conv2DBackpropFilter', i, attrs);
  rows.push([`Conv2DBackpropFilter ${c.label}`, compare(fn, prepare, release), gap(fn, prepare, release)]);
}
for (const p of pools) {
  const attrs = { filterSize: p.k, strides: p.s, pad: p.pad };
  const prepare = () => {
    const input = tf.randomNormal(p.x);
    const output = tf.maxPool(input, p.k, p.s, p.pad);
    return { input, output, dy: tf.randomNormal(output.shape) };
  };
  const fn = (i) => run('MaxPoolGrad', i, attrs);
  rows.push([`MaxPoolGrad ${p.label}`, compare(fn, prepare, release), gap(fn, prepare, release)]);
}

for (const p of rowProducts) {
  const prepare = () => ({ a: tf.ones([1, p.k]), b: tf.randomNormal([p.k, p.n]) });
  const fn = (i) => run('BatchMatMul', i, { transposeA: false, transposeB: false });
  rows.push([`BatchMatMul ${p.label}`, compare(fn, prepare, release), gap(fn, prepare, release)]);
}

// One Learner.fit epoch of STEPS batches per timed call, the way cnn-kernel-shapes.mjs runs it.
const mnist = await loadMnist();
const n = STEPS * 64;
const pixels = toNCHW(mnist).data.subarray(0, n * 784);
const labels = Float32Array.from(mnist.labels.subarray(0, n));
const data = { X: { data: pixels, rows: n, cols: 784 }, y: labels };
const learners = Object.fromEntries(
  WAYS.map(([way]) => {
    const net = simpleCnn({ inputShape: [1, 28, 28], classes: 10, channels: [8, 16], seed: 1 });
    const learner = new Learner(net, {
      loss: 'crossEntropy',
      optimizer: new Adam(net.parameters()),
      inputShape: [1, 28, 28],
    });
    return [way, learner];
  }),
);
const steps = { old: { cpu: [], wall: [] }, new: { cpu: [], wall: [] } };
const losses = {};
for (let i = 0; i <= Math.max(5, RUNS >> 1); i++) {
  const order = i % 2 ? [...WAYS].reverse() : WAYS;
  for (const [way, on] of order) {
    tf.env().set(FLAG, on);
    const c0 = cpuMs();
    const w0 = performance.now();
    const history = await learners[way].fit(data, { epochs: 1, batchSize: 64, seed: i });
    const w1 = performance.now();
    const c1 = cpuMs();
    losses[way] = history;
    if (i > 0) {
      steps[way].cpu.push((c1 - c0) / STEPS);
      steps[way].wall.push((w1 - w0) / STEPS);
    }
  }
}
tf.env().set(FLAG, true);

/** Kernel CPU ms per step by kernel and input shapes, from tf.profile of one epoch per way (x3). */
const profiles = { old: new Map(), new: new Map() };
for (let rep = 0; rep < 3; rep++) {
  for (const [way, on] of rep % 2 ? [...WAYS].reverse() : WAYS) {
    tf.env().set(FLAG, on);
    const platform = tf.env().platform;
    const wallNow = platform.now;
    platform.now = cpuMs;
    try {
      const profile = await tf.profile(() =>
        learners[way].fit(data, { epochs: 1, batchSize: 64, seed: rep }),
      );
      for (const k of profile.kernels) {
        const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(' ')}`;
        profiles[way].set(key, (profiles[way].get(key) ?? 0) + Number(k.kernelTimeMs) / STEPS / 3);
      }
    } finally {
      platform.now = wallNow;
    }
  }
}
tf.env().set(FLAG, true);
const step = Object.fromEntries(
  WAYS.map(([w]) => [w, { cpu: median(steps[w].cpu), wall: median(steps[w].wall) }]),
);
const lossOf = (h) => {
  const last = Array.isArray(h?.history) ? h.history.at(-1) : h?.at?.(-1);
  return last?.loss ?? last?.trainLoss;
};

console.log(
  `tfjs-core ${tf.version_core}, Node ${process.versions.node}; medians of ${RUNS} calls per side, ` +
    `alternating; CPU ms per call (wall in brackets); load average ${load0.toFixed(1)} at start, ` +
    `${loadavg()[0].toFixed(1)} at end\n`,
);
console.log(`  ${''.padEnd(78)} ${'old'.padStart(20)} ${'new'.padStart(20)}  speed-up  |new-old|/max|old|`);
const cell = (t) => `${fmt(t.cpu)} (${t.wall.toFixed(2)})`.padStart(20);
for (const [label, t, g] of rows)
  console.log(
    `  ${label.padEnd(78)} ${cell(t.old)} ${cell(t.new)}  ${(t.old.cpu / t.new.cpu).toFixed(1).padStart(6)}x  ${g.toExponential(1)}`,
  );
console.log(
  `\n  ${'Learner.fit step, issue-7 CNN (simpleCnn, batch 64, Adam; per step of an epoch)'.padEnd(78)} ` +
    `${cell(step.old)} ${cell(step.new)}  ${(step.old.cpu / step.new.cpu).toFixed(2).padStart(6)}x`,
);
const [lo, ln] = [lossOf(losses.old), lossOf(losses.new)];
if (lo != null && ln != null) console.log(`  last epoch's loss: old ${lo}, new ${ln}`);
for (const [way] of WAYS) {
  const sorted = [...profiles[way]].sort((a, b) => b[1] - a[1]);
  const total = sorted.reduce((sum, [, t]) => sum + t, 0);
  console.log(`\n  Kernels of one step, ${way} paths (tf.profile, CPU ms per step; total ${fmt(total)}):`);
  for (const [key, t] of sorted.slice(0, 10)) console.log(`    ${fmt(t).padStart(10)}  ${key}`);
}

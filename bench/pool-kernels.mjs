// MaxPoolGrad and Conv2DBackpropInput on WASM: @descent/tensor's replacements against
// tfjs-backend-wasm 4.22's own kernels, alone and in a small-CNN SGD step. Needs the built
// tensor package:  pnpm --filter @descent/tensor build && node bench/pool-kernels.mjs [runs=15]
// Every figure is a median over `runs` timed calls after a warm-up, in the process's CPU time
// (single-threaded here, so unlike wall time it does not grow when other jobs share the machine).
// "tfjs" rows put tfjs's kernels back in the registry for the time of the measurement.
import { loadavg } from 'node:os';
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { cpuMs, kernelShare, makeCnn, median } from './cnn-step.mjs';

// Captured before @descent/tensor replaces them (same tfjs-core instance: one registry).
const replaced = ['MaxPoolGrad', 'Conv2DBackpropInput'];
const tfjsKernels = Object.fromEntries(replaced.map((name) => [name, tfc.getKernel(name, 'wasm')]));
const { initBackend, tf } = await import('../packages/tensor/dist/index.js');

const runs = Math.max(5, Number(process.argv[2] ?? 15));
const batch = 64;
const ms = (x) => `${x.toFixed(2)} ms`;

await initBackend({ backend: 'wasm' });
const backend = tf.backend();
const descentKernels = Object.fromEntries(replaced.map((name) => [name, tf.getKernel(name, 'wasm')]));
for (const config of Object.values(tfjsKernels)) config.setupFunc?.(backend);

/** Registers tfjs's (or descent's) versions of the replaced kernels. */
function use(which) {
  for (const name of replaced) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(which === 'tfjs' ? tfjsKernels[name] : descentKernels[name]);
  }
}

/** Median CPU ms of `fn(input)`; `prepare` (untimed) makes fresh inputs each call. */
function timeIt(fn, prepare = () => undefined, cleanup = () => {}) {
  const cpu = [];
  for (let i = 0; i <= runs; i++) {
    const input = prepare();
    const c0 = cpuMs();
    const out = fn(input);
    const c1 = cpuMs();
    cleanup(input, out);
    if (i > 0) cpu.push(c1 - c0);
  }
  return median(cpu);
}

const kernel = (name, which) => (which === 'tfjs' ? tfjsKernels : descentKernels)[name].kernelFunc;
const dispose = (input, out) => {
  tf.dispose(Object.values(input));
  backend.disposeData(out.dataId);
};

// The pools of the CNN below (NHWC) and @descent/cnn's NCHW route (one channel per image).
const pools = [
  { label: 'pool1 2x2 s2, [64,28,28,8]', x: [batch, 28, 28, 8], filterSize: 2, strides: 2, pad: 'valid' },
  { label: 'pool2 2x2 s2, [64,14,14,16]', x: [batch, 14, 14, 16], filterSize: 2, strides: 2, pad: 'valid' },
  {
    label: 'pool 3x3 s1 same, [64,14,14,16]',
    x: [batch, 14, 14, 16],
    filterSize: 3,
    strides: 1,
    pad: 'same',
  },
  {
    label: 'cnn NCHW route, [512,28,28,1]',
    x: [batch * 8, 28, 28, 1],
    filterSize: 2,
    strides: 2,
    pad: 'valid',
  },
];

function poolInputs(p) {
  return () => {
    const input = tf.randomNormal(p.x);
    const output = tf.maxPool(input, p.filterSize, p.strides, p.pad);
    return { input, output, dy: tf.randomNormal(output.shape) };
  };
}

const convs = [
  { label: 'conv2 dx, 3x3x8->16 s1, 14x14', x: [batch, 14, 14, 8], filter: [3, 3, 8, 16], strides: 1 },
  { label: 'conv1 dx, 3x3x1->8 s1, 28x28', x: [batch, 28, 28, 1], filter: [3, 3, 1, 8], strides: 1 },
  { label: 'dx, 3x3x8->16 s2, 28x28', x: [batch, 28, 28, 8], filter: [3, 3, 8, 16], strides: 2 },
];

function convInputs(c) {
  return () => {
    const out = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, 'same').outShape;
    return { dy: tf.randomNormal(out), filter: tf.randomNormal(c.filter) };
  };
}

const load0 = loadavg()[0];
const rows = [];
for (const p of pools) {
  const attrs = { filterSize: p.filterSize, strides: p.strides, pad: p.pad };
  const t = {};
  for (const which of ['tfjs', 'descent'])
    t[which] = timeIt(
      (i) => kernel('MaxPoolGrad', which)({ inputs: i, backend, attrs }),
      poolInputs(p),
      dispose,
    );
  rows.push([`MaxPoolGrad ${p.label}`, t.tfjs, t.descent]);
}
for (const c of convs) {
  const attrs = { strides: c.strides, pad: 'same', dataFormat: 'NHWC', inputShape: c.x };
  const t = {};
  for (const which of ['tfjs', 'descent'])
    t[which] = timeIt(
      (i) => kernel('Conv2DBackpropInput', which)({ inputs: i, backend, attrs }),
      convInputs(c),
      dispose,
    );
  rows.push([`Conv2DBackpropInput ${c.label}`, t.tfjs, t.descent]);
}
const steps = {};
const shares = {};
for (const which of ['tfjs', 'descent']) {
  use(which);
  const cnn = makeCnn(tf, batch);
  steps[which] = timeIt(() => cnn.step());
  cnn.dispose();
  shares[which] = await kernelShare(tf, batch, 5);
}
use('descent');
rows.push(['SGD step, small CNN (batch 64)', steps.tfjs, steps.descent]);

console.log(
  `tfjs-core ${tf.version_core}, Node ${process.versions.node}; medians of ${runs} runs, CPU time; ` +
    `load average ${load0.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end\n`,
);
console.log(`  ${''.padEnd(56)} ${'tfjs'.padStart(10)} ${'descent'.padStart(10)}  speed-up`);
for (const [label, a, b] of rows)
  console.log(`  ${label.padEnd(56)} ${ms(a).padStart(10)} ${ms(b).padStart(10)}  ${(a / b).toFixed(1)}x`);
for (const which of ['tfjs', 'descent']) {
  const total = shares[which].reduce((s, [, t]) => s + t, 0);
  console.log(`\nKernels of one step with ${which}'s kernels (CPU, mean of 5 steps; total ${ms(total)}):`);
  for (const [name, t] of shares[which].slice(0, 8))
    console.log(`  ${name.padEnd(28)} ${ms(t).padStart(10)} ${((100 * t) / total).toFixed(0).padStart(4)}%`);
}

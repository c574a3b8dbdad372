// Per-kernel CPU profile, with input shapes, of one CNN training step (conv 3x3x8 → pool →
// conv 3x3x16 → pool → dense 10, batch 64, Adam) on WASM: descent's Learner.fit and tfjs-layers'
// model.fit (with descent's kernels registered), in this process.
//   node bench/throughput/cnn-kernel-shapes.mjs [--steps 16] [--which descent,tfjs-layers]
import { simpleCnn } from '@descent/cnn';
import { toNCHW } from '@descent/datasets/images';
import { loadMnist } from '@descent/datasets/node';
import { Adam } from '@descent/optim';
import { initBackend, tf } from '@descent/tensor';
import { Learner } from '@descent/train';
import * as tfl from '@tensorflow/tfjs-layers';
import { profileOnCpuClock } from '../cnn-step.mjs';
import { tfjsLayersNet } from './tfjs-layers-net.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const STEPS = Number(option('steps', 16));
const which = option('which', 'descent,tfjs-layers').split(',');
const BATCH = 64;

await initBackend({ backend: 'wasm' });
const mnist = await loadMnist();
const n = STEPS * BATCH;
const pixels = toNCHW(mnist).data.subarray(0, n * 784);
const labels = Float32Array.from(mnist.labels.subarray(0, n));

async function profiled(name, fit) {
  await fit();
  const profile = await profileOnCpuClock(tf, fit);
  const rows = new Map();
  for (const k of profile.kernels) {
    const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(' ')}`;
    const e = rows.get(key) ?? { ms: 0, calls: 0 };
    e.ms += Number(k.kernelTimeMs) / STEPS;
    e.calls += 1 / STEPS;
    rows.set(key, e);
  }
  const sorted = [...rows.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = sorted.reduce((s, [, e]) => s + e.ms, 0);
  const calls = sorted.reduce((s, [, e]) => s + e.calls, 0);
  console.log(`\n${name}: kernels ${total.toFixed(2)} ms, ${calls.toFixed(0)} calls per step`);
  for (const [key, e] of sorted)
    console.log(`  ${e.ms.toFixed(3).padStart(7)} ms  x${e.calls.toFixed(1).padEnd(5)} ${key}`);
}

if (which.includes('descent')) {
  const net = simpleCnn({ inputShape: [1, 28, 28], classes: 10, channels: [8, 16], seed: 1 });
  const learner = new Learner(net, {
    loss: 'crossEntropy',
    optimizer: new Adam(net.parameters()),
    inputShape: [1, 28, 28],
  });
  const data = { X: { data: pixels, rows: n, cols: 784 }, y: labels };
  await profiled('descent', () => learner.fit(data, { epochs: 1, batchSize: BATCH, seed: 1 }));
}
if (which.includes('tfjs-layers')) {
  const net = tfjsLayersNet(tfl, 'cnn');
  net.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = tf.tensor(pixels, [n, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), 10);
  await profiled('tfjs-layers', () =>
    net.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 }),
  );
}

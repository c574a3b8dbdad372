// Measures @descent/tensor's transpose-first BatchMatMul override against tfjs-backend-wasm 4.22's
// own kernel on one MLP training step (784-128-64-10, batch 64, Adam, dense layers as x @ Wᵀ + b),
// both in this process, alternating, by process CPU time. `node throughput/batchmatmul-override.mjs`
import '@tensorflow/tfjs-backend-wasm';
import { loadavg } from 'node:os';
import * as core from '@tensorflow/tfjs-core';

// tfjs's kernel, captured before @descent/tensor replaces it on import.
const stock = core.getKernel('BatchMatMul', 'wasm');
const { tf, initBackend, randn, manualSeed } = await import('@descent/tensor');
const ours = tf.getKernel('BatchMatMul', 'wasm');
if (ours.kernelFunc === stock.kernelFunc) throw new Error('the override is not registered');
await initBackend({ backend: 'wasm' });
manualSeed(0);

const use = (config) => {
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel(config);
};
const sizes = [784, 128, 64, 10];
const params = [];
for (let i = 0; i + 1 < sizes.length; i++) {
  params.push(tf.variable(tf.mul(randn([sizes[i + 1], sizes[i]]), Math.sqrt(2 / sizes[i]))));
  params.push(tf.variable(tf.zeros([sizes[i + 1]])));
}
const x = randn([64, 784]);
const labels = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: 64 }, (_, i) => i % 10),
    'int32',
  ),
  10,
);
let adam = tf.train.adam(1e-3);
const step = () =>
  adam.minimize(() => {
    let h = x;
    for (let i = 0; i < params.length; i += 2) {
      h = tf.add(tf.matMul(h, params[i], false, true), params[i + 1]);
      if (i + 2 < params.length) h = tf.relu(h);
    }
    return tf.losses.softmaxCrossEntropy(labels, h);
  }, true);

// Same start, 10 steps each: the losses of the two kernels.
const start = params.map((p) => p.clone());
const trajectory = (config) => {
  use(config);
  for (const [i, p] of params.entries()) p.assign(start[i]);
  adam.dispose();
  adam = tf.train.adam(1e-3);
  return Array.from({ length: 10 }, () => {
    const loss = step();
    const v = loss.dataSync()[0];
    loss.dispose();
    return v;
  });
};
const lossStock = trajectory(stock);
const lossOurs = trajectory(ours);
const gap = Math.max(...lossStock.map((l, i) => Math.abs(l - lossOurs[i]) / Math.abs(l)));
console.log(
  `losses over 10 steps, stock ${lossStock[0].toFixed(6)} → ${lossStock[9].toFixed(6)}; max relative gap ${gap.toExponential(2)}`,
);

const steps = 40;
const runs = { stock: [], ours: [] };
for (const config of [stock, ours]) {
  use(config);
  for (let i = 0; i < 5; i++) tf.dispose(step()); // warm-up
}
for (let r = 0; r < 7; r++) {
  for (const [name, config] of [
    ['stock', stock],
    ['ours', ours],
  ]) {
    use(config);
    const t = process.cpuUsage();
    for (let i = 0; i < steps; i++) tf.dispose(step());
    const u = process.cpuUsage(t);
    runs[name].push((u.user + u.system) / 1000 / steps);
  }
}
use(ours);
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const name of ['stock', 'ours']) {
  const m = median(runs[name]);
  console.log(
    `${name}: median ${m.toFixed(2)} ms CPU a step (${Math.round(64000 / m)} samples/s), runs ${runs[name].map((v) => v.toFixed(2)).join(' ')}`,
  );
}
console.log(`speed-up ${(median(runs.stock) / median(runs.ours)).toFixed(2)}×`);

// compile(model)'s channels-last path (@descent/layers lowering.ts, @descent/cnn's lowerings.ts and
// tensor's NHWC ops, conv2dChannelsLast first) against the per-layer NCHW path (model.call), on the
// small CNN of training-throughput.mjs (conv 3x3x8 → ReLU → max-pool → conv 3x3x16 → ReLU →
// max-pool → dense 10, MNIST 28×28, batch 64, Adam) in descent's Learner.fit on WASM.
//
//   pnpm build && node bench/throughput/channels-last.mjs [--steps 24] [--rounds 9]
//
// Every variant runs in this process, alternating, `rounds` fits of `steps` batches each; the
// figure is the median process CPU time (and wall time) per step, with the fastest fit's beside it
// (other jobs on a shared machine only ever add time). The variants take the shipped
// code apart one idea at a time, by registering other lowerings and gradients here only:
//   plain      Learner compile: false: each layer's own NCHW forward (the code before)
//   nhwc-ops   one transpose in and out, Conv2d as tf ops on NHWC (weight transpose, conv2d, add)
//   +swap      nhwc-ops, and a ReLU before a max pool runs after it
//   shipped    +swap with the fused kernel: bias inside the convolution, lazy input gradient,
//              bias gradient as a matrix product
//   tf-fused   +swap with tfjs's own tf.fused.conv2d (bias inside the convolution; its gradient
//              is a tf.customGrad: input gradient always, y saved, bias gradient by tf.sum)
//   sum-bias   shipped, but the bias gradient by tf.sum (what tf.add's gradient does)
//   no-swap    shipped without the ReLU/max-pool swap
// Then parity: the loss and gradients of one step, and 10 Adam steps, plain against shipped.

import { loadavg } from 'node:os';
import { Conv2d, MaxPool2d, registerCnnLowerings, simpleCnn } from '@descent/cnn';
import { toNCHW } from '@descent/datasets/images';
import { loadMnist } from '@descent/datasets/node';
import { compile, registerLowering } from '@descent/layers';
import { crossEntropy } from '@descent/losses';
import { Adam } from '@descent/optim';
import { initBackend, maxPool2dChannelsLast, tf } from '@descent/tensor';
import { Learner } from '@descent/train';
import { registerGradient, unregisterGradient } from '@tensorflow/tfjs-core';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const STEPS = option('steps', 24);
const ROUNDS = option('rounds', 9);
const BATCH = 64;
const KERNEL = 'DescentConv2dNhwcOihw';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

await initBackend({ backend: 'wasm' });
tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
const mnist = await loadMnist();
const n = STEPS * BATCH;
const data = {
  X: { data: toNCHW(mnist).data.subarray(0, n * 784), rows: n, cols: 784 },
  y: Float32Array.from(mnist.labels.subarray(0, n)),
};

// The pieces each variant swaps in and out: Conv2d's and MaxPool2d's lowerings.
const convLowering = (convolve) => (conv) => ({
  prefersChannelsLast: true,
  run: (x) =>
    tf.tidy(() => {
      const filter = tf.transpose(conv.weight.value, [2, 3, 1, 0]);
      const pad = conv.padding === 'same' ? 'same' : 'valid';
      if (pad === 'valid' && (conv.padding[0] || conv.padding[1])) throw new Error('bench: padding');
      return convolve(x, filter, conv, pad);
    }),
});
const opsConv = convLowering((x, filter, conv, pad) => {
  const y = tf.conv2d(x, filter, conv.stride, pad);
  return conv.bias ? tf.add(y, conv.bias.value) : y;
});
const tfFusedConv = convLowering((x, filter, conv, pad) =>
  tf.fused.conv2d({ x, filter, strides: conv.stride, pad, bias: conv.bias?.value }),
);
const noSwapPool = (pool) => ({ run: (x) => maxPool2dChannelsLast(x, pool) });

// The shipped gradient is registered on first use: run one forward so that it exists.
tf.tidy(() =>
  compile(simpleCnn({ inputShape: [1, 28, 28], classes: 10, seed: 1 })).forward(tf.zeros([1, 1, 28, 28])),
);
const shippedGradient = tf.getGradient(KERNEL);
if (!shippedGradient) throw new Error(`bench: no gradient registered for ${KERNEL}`);
const sumBiasGradient = {
  ...shippedGradient,
  gradFunc: (dy, saved, attrs) => ({
    ...shippedGradient.gradFunc(dy, saved, attrs),
    bias: () => tf.sum(dy, [0, 1, 2]),
  }),
};
const useGradient = (config) => {
  unregisterGradient(KERNEL);
  registerGradient(config);
};

const variants = {
  plain: { compile: false },
  'nhwc-ops': { conv: opsConv, swap: false },
  '+swap': { conv: opsConv, swap: true },
  'tf-fused': { conv: tfFusedConv },
  shipped: {},
  'sum-bias': { gradient: sumBiasGradient },
  'no-swap': { swap: false },
};
function apply({ conv, swap = true, gradient = shippedGradient }) {
  registerCnnLowerings();
  if (conv) registerLowering(Conv2d, conv);
  if (!swap) registerLowering(MaxPool2d, noSwapPool);
  useGradient(gradient);
}

const runs = Object.fromEntries(
  Object.entries(variants).map(([name, v]) => {
    const net = simpleCnn({ inputShape: [1, 28, 28], classes: 10, channels: [8, 16], seed: 1 });
    const learner = new Learner(net, {
      loss: 'crossEntropy',
      optimizer: new Adam(net.parameters()),
      inputShape: [1, 28, 28],
      compile: v.compile ?? true,
    });
    const model = v.compile === false ? { forward: (x) => net.call(x) } : compile(net);
    return [name, { v, learner, model, cpu: [], wall: [] }];
  }),
);
const fit = (r) => r.learner.fit(data, { epochs: 1, batchSize: BATCH, seed: 1 });
for (const r of Object.values(runs)) {
  apply(r.v);
  await fit(r);
}
for (let round = 0; round < ROUNDS; round++) {
  for (const r of Object.values(runs)) {
    apply(r.v);
    const w0 = performance.now();
    const c0 = cpuMs();
    await fit(r);
    r.cpu.push((cpuMs() - c0) / STEPS);
    r.wall.push((performance.now() - w0) / STEPS);
  }
}

// The same variants on forward + backward alone (tf.variableGrads of one batch, no optimizer, no
// data handling), where the differences between them stand out more clearly from the noise.
const xb = tf.tensor(data.X.data.subarray(0, BATCH * 784), [BATCH, 1, 28, 28]);
const yb = tf.tensor1d(Int32Array.from(data.y.subarray(0, BATCH)), 'int32');
const gradsOnly = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
const gradStep = (r) => {
  const { value, grads } = tf.variableGrads(
    () => crossEntropy(r.model.forward(xb), yb),
    r.learner.model.parameters().map((p) => p.variable),
  );
  tf.dispose([value, ...Object.values(grads)]);
};
for (let round = 0; round < 3 * ROUNDS; round++) {
  for (const [name, r] of Object.entries(runs)) {
    apply(r.v);
    if (round === 0) for (let i = 0; i < 3; i++) gradStep(r);
    const c0 = cpuMs();
    for (let i = 0; i < 8; i++) gradStep(r);
    if (round > 0) gradsOnly[name].push((cpuMs() - c0) / 8);
  }
}
apply({});
tf.dispose([xb, yb]);

const lines = [
  `Learner.fit on wasm, batch ${BATCH}, Adam; median of ${ROUNDS} alternating fits of ${STEPS} steps; CPU and wall ms per step; load average ${loadavg()[0].toFixed(1)}`,
  '',
  '| variant | CPU ms / step | samples/s (CPU) | fastest fit, CPU ms / step | wall ms / step | vs plain (CPU) |',
  '| --- | --- | --- | --- | --- | --- |',
];
const base = median(runs.plain.cpu);
for (const [name, r] of Object.entries(runs)) {
  const cpu = median(r.cpu);
  lines.push(
    `| ${name} | ${cpu.toFixed(2)} | ${Math.round((BATCH * 1000) / cpu).toLocaleString('en')} | ${Math.min(...r.cpu).toFixed(2)} | ${median(r.wall).toFixed(2)} | ${(base / cpu).toFixed(2)}× |`,
  );
}
lines.push(
  '',
  `forward + backward only (tf.variableGrads, one batch of ${BATCH}), median CPU ms over ${3 * ROUNDS - 1} alternating rounds of 8:`,
  Object.entries(gradsOnly)
    .map(([name, xs]) => `${name} ${median(xs).toFixed(2)}`)
    .join(', '),
);

// Kernel calls and transposes of one forward + backward, each path.
const x = tf.tensor(data.X.data.subarray(0, BATCH * 784), [BATCH, 1, 28, 28]);
const y = tf.tensor1d(Int32Array.from(data.y.subarray(0, BATCH)), 'int32');
const net = simpleCnn({ inputShape: [1, 28, 28], classes: 10, channels: [8, 16], seed: 2 });
const variables = net.parameters().map((p) => p.variable);
const compiledNet = compile(net);
const forwardOf = (channelsLast) => (channelsLast ? (t) => compiledNet.forward(t) : (t) => net.call(t));
const step = (channelsLast) => tf.variableGrads(() => crossEntropy(forwardOf(channelsLast)(x), y), variables);
lines.push('');
for (const channelsLast of [false, true]) {
  const profile = await tf.profile(() => {
    const { value, grads } = step(channelsLast);
    tf.dispose([value, ...Object.values(grads)]);
  });
  const count = (name) => profile.kernels.filter((k) => k.name === name).length;
  lines.push(
    `${channelsLast ? 'channels-last' : 'per-layer NCHW'}: ${profile.kernels.length} kernel calls per forward + backward, ` +
      `${count('Transpose')} Transpose, ${count('Identity')} Identity (tfjs's copies of saved tensors), ${count('Add')} Add, ${count('Sum')} Sum`,
  );
}

// Parity: one step's loss and gradients, then 10 Adam steps from the same start.
const gap = (a, b) => {
  const p = a.dataSync();
  const q = b.dataSync();
  let d = 0;
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    d = Math.max(d, Math.abs(p[i] - q[i]));
    s = Math.max(s, Math.abs(p[i]));
  }
  return d / s;
};
const plain = step(false);
const fast = step(true);
const gradGap = Math.max(...variables.map((v) => gap(plain.grads[v.name], fast.grads[v.name])));
lines.push(
  '',
  `parity, one step: loss ${plain.value.dataSync()[0].toFixed(7)} vs ${fast.value.dataSync()[0].toFixed(7)}, ` +
    `largest gradient gap (max |Δ| / max |g| per parameter) ${gradGap.toExponential(2)}`,
);
tf.dispose([plain.value, fast.value, ...Object.values(plain.grads), ...Object.values(fast.grads)]);
const start = net.stateDict();
const trajectory = (channelsLast) => {
  net.loadStateDict(start);
  const forward = forwardOf(channelsLast);
  const adam = new Adam(net.parameters());
  const losses = [];
  for (let i = 0; i < 10; i++) {
    const { value, grads } = tf.variableGrads(() => crossEntropy(forward(x), y), variables);
    losses.push(value.dataSync()[0]);
    adam.step(grads);
    tf.dispose([value, ...Object.values(grads)]);
  }
  adam.dispose();
  return losses;
};
const lossPlain = trajectory(false);
const lossFast = trajectory(true);
const lossGap = Math.max(...lossPlain.map((l, i) => Math.abs(l - lossFast[i]) / Math.abs(l)));
lines.push(
  `parity, 10 Adam steps on one batch: losses ${lossPlain[0].toFixed(5)} → ${lossPlain[9].toFixed(5)} (plain), ` +
    `${lossFast[0].toFixed(5)} → ${lossFast[9].toFixed(5)} (channels-last); largest relative gap ${lossGap.toExponential(2)}`,
);
console.log(lines.join('\n'));

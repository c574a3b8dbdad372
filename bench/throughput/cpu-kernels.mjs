// descent's cpu-backend kernels against tfjs-backend-cpu's own, kernel by kernel, on the shapes
// of the small CNN and the MLP of training-throughput.mjs (batch 64): CPU ms per call (median),
// and whether the outputs are the same floats (for the product: the largest relative difference).
//   pnpm build && node bench/throughput/cpu-kernels.mjs
import { initBackend, tf } from '@descent/tensor';

await initBackend({ backend: 'cpu' });
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** Seeded values in [-0.5, 0.5), a share of them exactly 0 (as after a ReLU or on a digit's background). */
function values(shape, zeros = 0, seed = 7) {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const u = s / 2 ** 32;
    out[i] = u < zeros ? 0 : u - 0.5;
  }
  return tf.tensor(out, shape);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function compare(label, fn, runs) {
  const result = {};
  for (const ours of [false, true]) {
    tf.env().set('DESCENT_CPU_KERNELS', ours);
    const first = fn();
    const floats = Float32Array.from(first.dataSync());
    first.dispose();
    const ts = [];
    for (let i = 0; i < runs; i++) {
      const c0 = cpuMs();
      const out = fn();
      out.dataSync();
      ts.push(cpuMs() - c0);
      out.dispose();
    }
    result[ours] = { ms: median(ts), floats };
  }
  const [a, b] = [result.true.floats, result.false.floats];
  let same = a.length === b.length;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    if (!Object.is(a[i], b[i])) same = false;
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  const agreement = same ? 'bit-identical' : `max rel. diff ${(diff / scale).toExponential(1)}`;
  return `| ${label} | ${result.false.ms.toFixed(2)} | ${result.true.ms.toFixed(2)} | ${(result.false.ms / result.true.ms).toFixed(1)}× | ${agreement} |`;
}

const run = (name, inputs, attrs) => tf.engine().runKernel(name, inputs, attrs);
const x1 = values([64, 28, 28, 1], 0.8);
const x2 = values([64, 14, 14, 8], 0.5);
const f1 = values([3, 3, 1, 8]);
const f2 = values([3, 3, 8, 16]);
const bias = values([16]);
const dy1 = values([64, 28, 28, 8]);
const dy2 = values([64, 14, 14, 16], 0.75);
const pooled = values([64, 28, 28, 8]);
const poolDy = values([64, 14, 14, 8]);
const X = values([64, 784], 0.8);
const W = values([128, 784]);
const D = values([64, 128]);
const same = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC' };
const rows = [
  compare('Conv2D, conv1 (64×28×28×1 → 8)', () => tf.conv2d(x1, f1, 1, 'same'), 5),
  compare(
    'FusedConv2D + bias, conv2 (64×14×14×8 → 16)',
    () => tf.fused.conv2d({ x: x2, filter: f2, bias, strides: 1, pad: 'same' }),
    5,
  ),
  compare(
    'Conv2DBackpropInput, conv2',
    () => run('Conv2DBackpropInput', { dy: dy2, filter: f2 }, { ...same, inputShape: [64, 14, 14, 8] }),
    5,
  ),
  compare(
    'Conv2DBackpropFilter, conv1',
    () => run('Conv2DBackpropFilter', { x: x1, dy: dy1 }, { ...same, filterShape: [3, 3, 1, 8] }),
    2,
  ),
  compare(
    'Conv2DBackpropFilter, conv2',
    () => run('Conv2DBackpropFilter', { x: x2, dy: dy2 }, { ...same, filterShape: [3, 3, 8, 16] }),
    2,
  ),
  compare(
    'MaxPoolGrad 2×2, 64×28×28×8',
    () =>
      run(
        'MaxPoolGrad',
        { dy: poolDy, input: pooled, output: pooled },
        { filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
      ),
    5,
  ),
  compare('BatchMatMul x @ Wᵀ (64×784 · 784×128)', () => tf.matMul(X, W, false, true), 9),
  compare('BatchMatMul dyᵀ @ x (weight gradient)', () => tf.matMul(D, X, true, false), 9),
  compare('BatchMatMul dy @ W (input gradient)', () => tf.matMul(D, W), 9),
];
console.log(
  [
    "tfjs-backend-cpu's kernels against descent's (CPU ms per call, median; same inputs on both):",
    '',
    "| kernel, shape | tfjs's | descent's | speed-up | outputs |",
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n'),
);

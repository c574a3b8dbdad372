// tfjs-backend-wasm's BatchMatMul by operand layout, for the products of a dense layer with
// batch 64 (784 → 128): the plain product runs in XNNPACK, a transposeA/transposeB flag drops to a
// slow loop. Also the same products with the flagged operand transposed first (the prototype in
// throughput/transpose-first-matmul.mjs). CPU ms, median of 30 calls, fresh inputs every call
// (as in training, where the weights change every step).
//   pnpm build && node bench/matmul-layouts.mjs
import { initBackend, tf } from '@descent/tensor';
import { registerTransposeFirstMatMul } from './throughput/transpose-first-matmul.mjs';

await initBackend({ backend: 'wasm' });
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function time(shapes, fn, runs = 30) {
  const ts = [];
  for (let i = 0; i <= runs; i++) {
    const inputs = shapes.map((s) => tf.randomNormal(s));
    const c0 = cpuMs();
    const r = fn(...inputs);
    r.dataSync();
    if (i > 0) ts.push(cpuMs() - c0);
    tf.dispose([r, ...inputs]);
  }
  return ts.sort((a, b) => a - b)[runs >> 1];
}
const cases = [
  [
    'x @ W, W [784, 128] (tfjs-layers forward)',
    [
      [64, 784],
      [784, 128],
    ],
    false,
    false,
  ],
  [
    'x @ Wᵀ, W [128, 784] (descent Linear forward)',
    [
      [64, 784],
      [128, 784],
    ],
    false,
    true,
  ],
  [
    'dy @ W, W [128, 784] (descent Linear, input gradient)',
    [
      [64, 128],
      [128, 784],
    ],
    false,
    false,
  ],
  [
    'dy @ Wᵀ, W [784, 128] (tfjs-layers, input gradient)',
    [
      [64, 128],
      [784, 128],
    ],
    false,
    true,
  ],
  [
    'dyᵀ @ x (descent Linear, weight gradient)',
    [
      [64, 128],
      [64, 784],
    ],
    true,
    false,
  ],
  [
    'xᵀ @ dy (tfjs-layers, weight gradient)',
    [
      [64, 784],
      [64, 128],
    ],
    true,
    false,
  ],
];
const stock = cases.map(([, shapes, ta, tb]) => time(shapes, (a, b) => tf.matMul(a, b, ta, tb)));
const restore = registerTransposeFirstMatMul();
const first = cases.map(([, shapes, ta, tb]) => time(shapes, (a, b) => tf.matMul(a, b, ta, tb)));
restore();
const lines = [
  'tfjs-backend-wasm BatchMatMul, batch 64, 784 ↔ 128 (CPU ms, median of 30, fresh inputs):',
  '',
  '| product | stock kernel | transpose first (prototype) |',
  '| --- | --- | --- |',
  ...cases.map(([label], i) => `| ${label} | ${stock[i].toFixed(2)} | ${first[i].toFixed(2)} |`),
];
console.log(lines.join('\n'));

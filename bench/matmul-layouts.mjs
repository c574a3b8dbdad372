// descent's WASM BatchMatMul on the products of a dense layer with batch 64 (784 ↔ 128), by
// route: the default (SIMD tiles for a b not multiplied before, since XNNPACK would first pack it),
// XNNPACK with a fresh b every call (`DESCENT_WASM_SIMD_MATMUL` false: transposed operands are
// copied first, then XNNPACK packs b; this is what training paid before), and XNNPACK with the
// same b every call (packed once: inference with fixed weights). CPU ms, median of 30 calls.
//   pnpm build && node bench/matmul-layouts.mjs
import { initBackend, tf } from '@descent/tensor';

await initBackend({ backend: 'wasm' });
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** Median CPU ms of `fn`; fresh inputs every call unless `sameB` keeps one b throughout. */
function time(shapes, fn, sameB = false, runs = 30) {
  const ts = [];
  const fixed = sameB ? tf.randomNormal(shapes[1]) : null;
  for (let i = 0; i <= runs; i++) {
    const a = tf.randomNormal(shapes[0]);
    const b = fixed ?? tf.randomNormal(shapes[1]);
    const c0 = cpuMs();
    const r = fn(a, b);
    r.dataSync();
    if (i > 0) ts.push(cpuMs() - c0);
    tf.dispose(fixed ? [r, a] : [r, a, b]);
  }
  fixed?.dispose();
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
const product = ([, shapes, ta, tb], sameB) => time(shapes, (a, b) => tf.matMul(a, b, ta, tb), sameB);
const routed = cases.map((c) => product(c, false));
tf.env().set('DESCENT_WASM_SIMD_MATMUL', false);
const packedEveryCall = cases.map((c) => product(c, false));
const packedOnce = cases.map((c) => product(c, true));
tf.env().set('DESCENT_WASM_SIMD_MATMUL', true);
const lines = [
  "descent's BatchMatMul on wasm, batch 64, 784 ↔ 128 (CPU ms, median of 30):",
  '',
  '| product | descent (fresh b) | XNNPACK, fresh b (packs every call) | XNNPACK, same b (packed once) |',
  '| --- | --- | --- | --- |',
  ...cases.map(
    ([label], i) =>
      `| ${label} | ${routed[i].toFixed(2)} | ${packedEveryCall[i].toFixed(2)} | ${packedOnce[i].toFixed(2)} |`,
  ),
];
console.log(lines.join('\n'));

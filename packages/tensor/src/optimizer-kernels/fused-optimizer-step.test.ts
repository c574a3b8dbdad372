import { afterAll, describe, expect, test } from 'vitest';
import { hostMemory } from '../host-memory/host-memory';
import {
  fusedOptimizerStep,
  Generator,
  NATIVE_KERNELS_FLAG,
  nativeKernelInfo,
  type OptimizerHyperparameters,
  type Tensor,
  tf,
} from '../index';

// That each algorithm's fused step gives its tfjs ops' numbers to the bit is proved in
// @descent/optim (fused.test.ts), which holds the tfjs ops. Here: the SIMD kernels (WebAssembly's
// and the native addon's) against the JavaScript loop, and the memory rules (what is written in
// place, what never is).

const SGD = { lr: 0.05, momentum: 0.8, dampening: 0, nesterov: true, weightDecay: 0.01, maximize: false };
const ADAM = { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };
const cases: [string, OptimizerHyperparameters][] = [
  ['SGD', SGD],
  ['SGD', { ...SGD, momentum: 0.5, dampening: 0.3, nesterov: false, weightDecay: 0, maximize: true }],
  ['Adam', ADAM],
  ['Adam', { ...ADAM, weightDecay: 0.1, amsgrad: true, maximize: true }],
  ['AdamW', { ...ADAM, lr: 0.01, weightDecay: 0.05, amsgrad: true }],
  [
    'RMSprop',
    { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false },
  ],
  [
    'RMSprop',
    { lr: 0.01, alpha: 0.9, eps: 1e-6, weightDecay: 0.01, momentum: 0.9, centered: true, maximize: true },
  ],
];

/** Values from a seeded stream, the same on every backend. */
const normals = (gen: Generator, n: number) => Float32Array.from({ length: n }, () => gen.normal());

/**
 * Four fused steps of a parameter with 77 elements: on WASM 19 groups of four and a loop tail of
 * one; natively four blocks of sixteen and one of twelve. Some gradients are +0 and -0, whose
 * signs the kernels' max must keep as Math.max does.
 */
function run(algorithm: string, hyper: OptimizerHyperparameters) {
  const gen = new Generator(5);
  const shape = [7, 11];
  const param = tf.variable(tf.tensor(normals(gen, 77), shape));
  const buffers = new Map<string, tf.Variable>();
  for (let step = 1; step <= 4; step++) {
    const values = normals(gen, 77);
    for (let i = step; i < 77; i += 9) values[i] = i % 2 ? -0 : 0;
    if (step === 2) values[40] = Number.NaN;
    const grad = tf.tensor(values, shape);
    expect(fusedOptimizerStep(algorithm, hyper, param, grad, buffers, step)).toBe(true);
    grad.dispose();
  }
  const out = {
    param: Array.from(param.dataSync()),
    buffers: Object.fromEntries([...buffers].map(([name, b]) => [name, Array.from(b.dataSync())])),
  };
  tf.dispose([param, ...buffers.values()]);
  return out;
}

test.each(cases)(
  '%s %j: the SIMD kernels, WebAssembly and native, give the JavaScript loop numbers, to the bit',
  async (algorithm, hyper) => {
    await tf.setBackend('cpu');
    const loop = run(algorithm, hyper);
    await tf.setBackend('wasm');
    expect(hostMemory()?.simd, 'Node has WebAssembly SIMD').toBeDefined();
    tf.env().set(NATIVE_KERNELS_FLAG, false);
    try {
      expect(run(algorithm, hyper)).toEqual(loop);
    } finally {
      tf.env().set(NATIVE_KERNELS_FLAG, true);
    }
    // CI builds the addon (DESCENT_REQUIRE_NATIVE=1); elsewhere the native kernels may be absent.
    if (nativeKernelInfo().active) expect(run(algorithm, hyper)).toEqual(loop);
  },
);

for (const backend of ['wasm', 'cpu']) {
  describe(`fusedOptimizerStep on ${backend}`, () => {
    afterAll(async () => {
      await tf.setBackend('wasm');
    });

    test('runs no tfjs kernel, leaks nothing and leaves tensors sharing the old memory unchanged', async () => {
      await tf.setBackend(backend);
      const w = tf.variable(tf.tensor2d([1, -2, 3, 0.5, 4], [5, 1]));
      const g = tf.tensor2d([0.1, 0.2, -0.3, 0.4, 0.5], [5, 1]);
      const buffers = new Map<string, tf.Variable>();
      fusedOptimizerStep('Adam', ADAM, w, g, buffers, 1);
      const snapshots = [w, ...buffers.values()].map((t) => tf.clone(t)); // each shares its memory
      const before = snapshots.map((s) => Array.from(s.dataSync()));
      const tensors = tf.memory().numTensors;
      const profile = await tf.profile(() => {
        fusedOptimizerStep('Adam', ADAM, w, g, buffers, 2);
      });
      expect(profile.kernels.map((k) => k.name)).toEqual([]);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(snapshots.map((s) => Array.from(s.dataSync()))).toEqual(before);
      expect(Array.from(w.dataSync())).not.toEqual(before[0]);
      tf.dispose([w, g, ...snapshots, ...buffers.values()]);
    });
  });
}

test('buffers are written in place; a parameter too on cpu, never on WASM (its matmul keeps packed weights)', async () => {
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const y = tf.tensor2d([[0.5], [0.1], [-0.2]]);
    const w = tf.variable(tf.tensor2d([[0.1], [-0.2]]));
    const loss = (weight: Tensor) =>
      tf.mean(tf.square(tf.sub(tf.tanh(tf.matMul(x, weight)), y))) as tf.Scalar;
    const buffers = new Map<string, tf.Variable>();
    const ids = { w: new Set<object>(), m: new Set<object>() };
    for (let step = 1; step <= 5; step++) {
      const { value, grads } = tf.variableGrads(() => loss(w), [w]);
      fusedOptimizerStep('Adam', ADAM, w, grads[w.name], buffers, step);
      // WASM's matmul keeps XNNPACK's packing of a weight by its memory, from its second product on:
      // a weight written in place would be multiplied stale here, unlike a fresh copy of its values.
      const [withW, withCopy] = tf.tidy(() =>
        [loss(w), loss(tf.tensor(w.dataSync(), w.shape))].map((l) => l.dataSync()[0]),
      );
      expect(withW, `${backend}, step ${step}`).toBe(withCopy);
      ids.w.add(w.dataId);
      ids.m.add(buffers.get('expAvg')?.dataId as object);
      tf.dispose([value, grads]);
    }
    expect(ids.m.size, backend).toBe(1);
    // On cpu the first step moves w off the memory it shares with its initial tensor, then stays.
    expect(ids.w.size, backend).toBe(backend === 'cpu' ? 1 : 5);
    tf.dispose([x, y, w, ...buffers.values()]);
  }
  await tf.setBackend('wasm');
});

test('does not apply to an algorithm without a kernel, and then changes nothing', () => {
  const w = tf.variable(tf.ones([3]));
  const g = tf.ones([3]);
  const buffers = new Map<string, tf.Variable>();
  expect(fusedOptimizerStep('Lion', { lr: 0.1 }, w, g, buffers, 1)).toBe(false);
  expect(Array.from(w.dataSync())).toEqual([1, 1, 1]);
  expect(buffers.size).toBe(0);
  tf.dispose([w, g]);
});

test('rejects hyperparameters, steps and gradients that do not fit, naming them', () => {
  const w = tf.variable(tf.ones([3]));
  const g = tf.ones([3]);
  const buffers = new Map<string, tf.Variable>();
  const step = (algorithm: string, hyper: OptimizerHyperparameters, n = 1, grad: Tensor = g) =>
    fusedOptimizerStep(algorithm, hyper, w, grad, buffers, n);
  expect(() => step('SGD', { ...SGD, weight_decay: 0 })).toThrow(
    /hyper\.weight_decay: expected one of SGD's/,
  );
  expect(() => step('SGD', { ...SGD, lr: Number.NaN })).toThrow(/hyper\.lr: expected a finite number/);
  expect(() => step('Adam', { ...ADAM, betas: [0.9] })).toThrow(/hyper\.betas: expected two finite numbers/);
  expect(() => step('RMSprop', { lr: 0.1 })).toThrow(/hyper\.alpha/);
  expect(() => step('SGD', SGD, 0)).toThrow(/step: expected a positive integer, found 0/);
  const wrong = tf.ones([4]);
  expect(() => step('SGD', SGD, 1, wrong)).toThrow(/grad: expected a float32 tensor of shape \[3\]/);
  expect(Array.from(w.dataSync())).toEqual([1, 1, 1]);
  expect(buffers.size).toBe(0);
  tf.dispose([w, g, wrong]);
});

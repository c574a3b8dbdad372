import { Generator, randn, type Tensor, tf } from '@descent/tensor';
import { afterAll, describe, expect, test } from 'vitest';
import { Adam, AdamW, type Optimizer, RMSprop, SGD } from './index';

// The fused update (`fused`: @descent/tensor's fusedOptimizerStep, one pass over each parameter's
// memory on the WASM and cpu backends) must give what the tfjs ops of each `update` give. Both
// paths round every arithmetic step to float32, so the trajectories agree to the last bit
// (differences are counted in float32 ulps). The op's in-place rules are tested beside it, in
// tensor's fused-optimizer-step.test.ts.

type Make = (params: tf.Variable[]) => Optimizer;
const configs: Record<string, Make> = {
  SGD: (p) => new SGD(p, { lr: 0.1 }),
  'SGD momentum': (p) => new SGD(p, { lr: 0.05, momentum: 0.9 }),
  'SGD nesterov + decay': (p) => new SGD(p, { lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01 }),
  'SGD dampening + maximize': (p) => new SGD(p, { lr: 0.02, momentum: 0.5, dampening: 0.3, maximize: true }),
  Adam: (p) => new Adam(p, { lr: 0.01 }),
  'Adam decay + amsgrad': (p) => new Adam(p, { lr: 0.01, weightDecay: 0.1, amsgrad: true }),
  'Adam maximize': (p) => new Adam(p, { lr: 0.003, betas: [0.8, 0.99], eps: 1e-6, maximize: true }),
  AdamW: (p) => new AdamW(p, { lr: 0.01 }),
  'AdamW amsgrad': (p) => new AdamW(p, { lr: 0.01, weightDecay: 0.05, amsgrad: true }),
  RMSprop: (p) => new RMSprop(p, { lr: 0.01 }),
  'RMSprop centered + momentum + decay': (p) =>
    new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.9, weightDecay: 0.01 }),
};

const shapes = [[7, 5], [5], [2, 3, 3, 4]];
const STEPS = 6;

/** Runs STEPS steps from the same start with the same gradients; returns params and state. */
function trajectory(make: Make, fused: boolean, seed: number) {
  const gen = new Generator(seed);
  const params = shapes.map((s) => tf.variable(randn(s, gen)));
  const grads = Array.from({ length: STEPS }, () => shapes.map((s) => randn(s, gen)));
  const opt = make(params);
  opt.fused = fused;
  for (const g of grads) {
    // One parameter without a gradient at one step, as PyTorch's grad = None.
    const map: Record<string, Tensor> = {};
    params.forEach((p, i) => {
      if (!(i === 1 && g === grads[2])) map[p.name] = g[i];
    });
    opt.step(map);
  }
  const sd = opt.stateDict();
  const out = {
    params: params.map((p) => Array.from(p.dataSync())),
    state: Object.fromEntries(
      Object.entries(sd.state).flatMap(([k, entry]) =>
        Object.entries(entry).map(([name, t]) => [`${k}.${name}`, Array.from(t.dataSync())]),
      ),
    ),
  };
  tf.dispose([...params, ...grads.flat(), ...Object.values(sd.state).flatMap((e) => Object.values(e))]);
  opt.dispose();
  return out;
}

/** Largest difference in units of float32 spacing at the expected value. */
function maxUlps(actual: number[], expected: number[]): number {
  let worst = 0;
  expected.forEach((e, i) => {
    const ulp = Math.max(2 ** -149, 2 ** (Math.floor(Math.log2(Math.abs(e) || 2 ** -126)) - 23));
    worst = Math.max(worst, Math.abs(actual[i] - e) / ulp);
  });
  return worst;
}

for (const backend of ['wasm', 'cpu']) {
  describe(`fused update on ${backend}`, () => {
    afterAll(async () => {
      await tf.setBackend('wasm');
    });

    for (const [name, make] of Object.entries(configs)) {
      test(`${name}: same trajectory and state as the tfjs ops`, async () => {
        await tf.setBackend(backend);
        const plain = trajectory(make, false, 7);
        const fused = trajectory(make, true, 7);
        expect(Object.keys(fused.state).sort()).toEqual(Object.keys(plain.state).sort());
        plain.params.forEach((p, i) => {
          expect(maxUlps(fused.params[i], p), `param ${i}`).toBe(0);
        });
        for (const [key, values] of Object.entries(plain.state)) {
          expect(maxUlps(fused.state[key], values), key).toBe(0);
        }
      });
    }

    test('runs no tfjs kernels, leaks nothing and leaves tensors sharing the old memory unchanged', async () => {
      await tf.setBackend(backend);
      const w = tf.variable(
        tf.tensor2d([
          [1, -2],
          [3, 0.5],
        ]),
      );
      const g = tf.tensor2d([
        [0.1, 0.2],
        [-0.3, 0.4],
      ]);
      const opt = new Adam([w], { lr: 0.1 });
      opt.step({ [w.name]: g });
      const snapshot = tf.clone(w); // shares w's memory
      const before = Array.from(snapshot.dataSync());
      const tensors = tf.memory().numTensors;
      const profile = await tf.profile(() => {
        opt.step({ [w.name]: g });
      });
      expect(profile.kernels.map((k) => k.name)).toEqual([]);
      expect(tf.memory().numTensors).toBe(tensors);
      expect(Array.from(snapshot.dataSync())).toEqual(before);
      expect(Array.from(w.dataSync())).not.toEqual(before);
      opt.fused = false;
      const plainProfile = await tf.profile(() => {
        opt.step({ [w.name]: g });
      });
      expect(plainProfile.kernels.length).toBeGreaterThan(5);
      tf.dispose([w, g, snapshot]);
      opt.dispose();
    });
  });
}

test('a state dict from fused steps resumes on the tfjs ops to the same numbers', () => {
  const gen = new Generator(3);
  const start = randn([4, 3], gen);
  const grads = Array.from({ length: 4 }, () => randn([4, 3], gen));
  const a = tf.variable(start.clone());
  const b = tf.variable(start.clone());
  const fused = new Adam([a], { lr: 0.05 });
  const plain = new Adam([b], { lr: 0.05 });
  plain.fused = false;
  fused.step({ [a.name]: grads[0] });
  fused.step({ [a.name]: grads[1] });
  const sd = fused.stateDict();
  const resumed = new Adam([b], { lr: 0.05 });
  resumed.fused = false;
  b.assign(a);
  resumed.loadStateDict(sd);
  for (const g of grads.slice(2)) {
    fused.step({ [a.name]: g });
    resumed.step({ [b.name]: g });
  }
  expect(maxUlps(Array.from(a.dataSync()), Array.from(b.dataSync()))).toBe(0);
  tf.dispose([start, a, b, ...grads, ...Object.values(sd.state).flatMap((e) => Object.values(e))]);
  fused.dispose();
  plain.dispose();
  resumed.dispose();
});

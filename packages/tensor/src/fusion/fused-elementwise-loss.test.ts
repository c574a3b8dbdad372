import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { gradCheck } from '../grad-check';
import { fusedBce, fusedMse, type LossReduction } from './fused-elementwise-loss';

/** The fused loss, which must apply to these inputs. */
const applied =
  (fused: typeof fusedMse) =>
  (x: tf.Tensor, t: tf.Tensor, reduction: LossReduction = 'mean') => {
    const out = fused(x, t, reduction);
    if (!out) throw new Error('the fused loss stepped aside');
    return out;
  };
const mse = applied(fusedMse);
const bce = applied(fusedBce);

// As float32 holds them, so that the closed forms see the same inputs.
const p = [0.1, 0.7, 0.45, 0.99, 0.02, 0.5].map(Math.fround);
const y = [0, 1, 1, 0, 0, 1];

/** The closed forms in float64, per element. */
const closed = {
  mse: { value: (a: number, b: number) => (a - b) ** 2, grad: (a: number, b: number) => 2 * (a - b) },
  bce: {
    value: (a: number, b: number) => -(b * Math.log(a) + (1 - b) * Math.log(1 - a)),
    grad: (a: number, b: number) => (a - b) / (a * (1 - a)),
  },
};

const previous = tf.getBackend();
afterAll(async () => {
  await tf.setBackend(previous);
});

describe.each(['wasm', 'cpu'])('fusedMse and fusedBce (%s)', (backend) => {
  for (const [name, loss] of [
    ['mse', mse],
    ['bce', bce],
  ] as const) {
    it.each(['mean', 'sum', 'none'] as const)(
      `${name}: closed-form value and gradient (reduction %s)`,
      async (reduction) => {
        await tf.setBackend(backend);
        const before = tf.memory().numTensors;
        const input = tf.tensor2d(p, [3, 2]);
        const target = tf.tensor2d(y, [3, 2]);
        const weights = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
        const f = (x: tf.Tensor) => {
          const l = loss(x, target, reduction);
          return (reduction === 'none' ? tf.sum(tf.mul(l, weights)) : l) as tf.Scalar;
        };
        const { value, grad } = tf.valueAndGrad(f)(input);
        const n = reduction === 'mean' ? p.length : 1;
        const w = (i: number) => (reduction === 'none' ? i + 1 : 1);
        const expected = p.reduce((s, a, i) => s + w(i) * closed[name].value(a, y[i]), 0) / n;
        expect(value.dataSync()[0]).toBeCloseTo(expected, 5);
        Array.from(grad.dataSync()).forEach((g, i) => {
          expect(g).toBeCloseTo((w(i) * closed[name].grad(p[i], y[i])) / n, 4);
        });
        tf.dispose([input, target, weights, value, grad]);
        expect(tf.memory().numTensors).toBe(before);
      },
    );

    it(`${name}: the gradient with respect to the target matches finite differences`, async () => {
      await tf.setBackend(backend);
      const input = tf.tensor1d(p);
      const target = tf.tensor1d([0.2, 0.9, 0.6, 0.1, 0.3, 0.5]);
      const result = gradCheck((a, b) => loss(a, b) as tf.Scalar, [input, target], {
        eps: 1e-3,
        rtol: 2e-2,
        atol: 2e-3,
      });
      expect(result.ok, JSON.stringify(result.worst)).toBe(true);
      tf.dispose([input, target]);
    });

    it(`${name}: one kernel forward instead of tfjs's chain`, async () => {
      await tf.setBackend(backend);
      const input = tf.tensor1d(p);
      const target = tf.tensor1d(y);
      const info = await tf.profile(() => {
        const g = tf.grad((x: tf.Tensor) => loss(x, target) as tf.Scalar)(input);
        g.dispose();
      });
      expect(info.kernels.length).toBeLessThanOrEqual(3);
      tf.dispose([input, target]);
    });
  }

  it('bce keeps PyTorch finite gradient at p = 0 and p = 1 and its -100 log floor', async () => {
    await tf.setBackend(backend);
    const input = tf.tensor1d([0, 1]);
    const target = tf.tensor1d([1, 0]);
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => bce(x, target, 'sum') as tf.Scalar)(input);
    expect(value.dataSync()[0]).toBe(200);
    expect(Array.from(grad.dataSync())).toEqual([-1e12, 1e12].map(Math.fround));
    tf.dispose([input, target, value, grad]);
  });
});

describe('fusedMse and fusedBce step aside', () => {
  it('for shapes that differ, targets that are not float32, and bce values outside [0, 1]', () => {
    const x = tf.tensor1d([0.2, 0.4]);
    const wide = tf.tensor1d([0, 1, 0]);
    const ints = tf.tensor1d([0, 1], 'int32');
    const above = tf.tensor1d([0.2, 1.5]);
    const nan = tf.tensor1d([Number.NaN, 0.5]);
    expect(fusedMse(x, wide)).toBeUndefined();
    expect(fusedMse(x, ints)).toBeUndefined();
    expect(fusedBce(x, above)).toBeUndefined();
    expect(fusedBce(nan, x)).toBeUndefined();
    tf.dispose([x, wide, ints, above, nan]);
  });
});

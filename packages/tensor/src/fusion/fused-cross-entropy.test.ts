import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { fusedCrossEntropy } from './fused-cross-entropy';
import type { LossReduction } from './fused-elementwise-loss';

/** -sum(onehot log softmax(x)) per row, reduced: tfjs's own route, for comparison. */
function opsCrossEntropy(x: tf.Tensor, oneHot: tf.Tensor, reduction: LossReduction) {
  const perRow = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(x, 1)), 1));
  return reduction === 'mean' ? tf.mean(perRow) : reduction === 'sum' ? tf.sum(perRow) : perRow;
}

function crossEntropy(x: tf.Tensor, target: tf.Tensor, { reduction = 'mean' as LossReduction } = {}) {
  if (target.rank === 2) return opsCrossEntropy(x, target, reduction);
  const out = fusedCrossEntropy(x, target, reduction);
  if (!out) throw new Error('fusedCrossEntropy stepped aside');
  return out;
}

/** Seeded logits in [-4, 4) and labels in [0, c). */
function batch(n: number, c: number, seed: number) {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const logits = Float32Array.from({ length: n * c }, () => 8 * next() - 4);
  const labels = Int32Array.from({ length: n }, () => Math.floor(next() * c));
  return { logits, labels };
}

/** Loss and gradient for the logits, by class indices (the host route) or one-hot rows (tfjs's ops). */
function lossAndGrad(n: number, c: number, reduction: 'mean' | 'sum' | 'none', oneHot: boolean) {
  const { logits, labels } = batch(n, c, 5);
  return tf.tidy(() => {
    const x = tf.tensor2d(logits, [n, c]);
    const indices = tf.tensor1d(labels, 'int32');
    const target = oneHot ? tf.cast(tf.oneHot(indices, c), 'float32') : indices;
    const weights = tf.tensor(
      Float32Array.from({ length: reduction === 'none' ? n : 1 }, (_, i) => 1 + i / 7),
    );
    const f = (xi: tf.Tensor) => tf.sum(tf.mul(crossEntropy(xi, target, { reduction }), weights));
    const { value, grad } = tf.valueAndGrad(f)(x);
    return { value: value.dataSync()[0], grad: Array.from(grad.dataSync()) };
  });
}

const previous = tf.getBackend();
afterAll(async () => {
  await tf.setBackend(previous);
});

describe.each(['wasm', 'cpu'])('fusedCrossEntropy on %s', (backend) => {
  it.each(['mean', 'sum', 'none'] as const)(
    'gives the loss and gradient of the log-softmax route within 1e-6 (reduction %s)',
    async (reduction) => {
      await tf.setBackend(backend);
      const fast = lossAndGrad(64, 10, reduction, false);
      const ops = lossAndGrad(64, 10, reduction, true);
      expect(Math.abs(fast.value - ops.value)).toBeLessThan(1e-6 * Math.max(1, Math.abs(ops.value)));
      for (let i = 0; i < ops.grad.length; i++)
        expect(Math.abs(fast.grad[i] - ops.grad[i])).toBeLessThan(1e-6);
    },
  );

  it('runs a handful of kernels instead of about twenty, and leaves no tensor behind', async () => {
    await tf.setBackend(backend);
    const kernels = async (oneHot: boolean) => {
      const before = tf.memory().numTensors;
      const profile = await tf.profile(() => {
        lossAndGrad(64, 10, 'mean', oneHot);
      });
      expect(tf.memory().numTensors).toBe(before);
      return profile.kernels.length;
    };
    const fast = await kernels(false);
    const ops = await kernels(true);
    expect(fast).toBeLessThan(ops - 10);
  });

  it('stays finite for huge logits and passes NaN on', async () => {
    await tf.setBackend(backend);
    const x = tf.tensor2d([1000, -1000, 0, -1000, 1000, 0], [2, 3]);
    const y = tf.tensor1d([0, 0], 'int32');
    const loss = crossEntropy(x, y, { reduction: 'none' });
    const values = Array.from(loss.dataSync());
    expect(values[0]).toBeCloseTo(0, 6);
    expect(values[1]).toBeCloseTo(2000, 2);
    const nan = tf.tidy(() => crossEntropy(tf.tensor2d([Number.NaN, 1], [1, 2]), tf.tensor1d([1], 'int32')));
    expect(Number.isNaN(nan.dataSync()[0])).toBe(true);
    tf.dispose([x, y, loss, nan]);
  });
});

describe('fusedCrossEntropy steps aside', () => {
  it('for class probabilities, labels out of range or not integers, and non-float32 logits', () => {
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const probs = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    const far = tf.tensor1d([0, 2], 'int32');
    const half = tf.tensor1d([0, 0.5]);
    const ints = tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32');
    const labels = tf.tensor1d([0, 1], 'int32');
    expect(fusedCrossEntropy(x, probs)).toBeUndefined();
    expect(fusedCrossEntropy(x, far)).toBeUndefined();
    expect(fusedCrossEntropy(x, half)).toBeUndefined();
    expect(fusedCrossEntropy(ints, labels)).toBeUndefined();
    tf.dispose([x, probs, far, half, ints, labels]);
  });
});

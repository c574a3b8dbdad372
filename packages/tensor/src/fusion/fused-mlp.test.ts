import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { FUSED_MLP_LIMIT, fusedMlp, type MlpStep } from './fused-mlp';

const previous = tf.getBackend();
afterAll(async () => {
  await tf.setBackend(previous);
});

describe.each(['wasm', 'cpu'])('fusedMlp (%s)', (backend) => {
  it('gives the value and gradients of the same steps as tfjs ops', async () => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    const w1 = tf.tensor2d([0.5, -1, 2, 0.25, -0.3, 0.8], [3, 2]);
    const b1 = tf.tensor1d([0.1, -0.2, 0.3]);
    const w2 = tf.tensor2d([1, -2, 0.5], [1, 3]);
    const x = tf.tensor2d([0, 1, -1, 0.5, 2, -2, 0.3, 0.3, -0.7, 1], [5, 2]);
    const steps: MlpStep[] = [
      { op: 'linear', weight: w1, bias: b1 },
      { op: 'leakyRelu', negativeSlope: 0.1 },
      { op: 'linear', weight: w2 },
      { op: 'tanh' },
    ];
    const ops = (input: tf.Tensor, a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(
        tf.tanh(tf.matMul(tf.leakyRelu(tf.add(tf.matMul(input, a, false, true), b), 0.1), c, false, true)),
      );
    const fused = (input: tf.Tensor, a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
      const out = fusedMlp(
        [{ op: 'linear', weight: a, bias: b }, steps[1], { op: 'linear', weight: c }, steps[3]],
        input,
      );
      if (!out) throw new Error('fusedMlp stepped aside');
      return tf.sum(out);
    };
    const expected = tf.grads(ops)([x, w1, b1, w2]);
    const actual = tf.grads(fused)([x, w1, b1, w2]);
    actual.forEach((g, i) => {
      const e = expected[i].dataSync();
      Array.from(g.dataSync()).forEach((v, j) => {
        expect(v).toBeCloseTo(e[j], 5);
      });
    });
    const out = fusedMlp(steps, x);
    expect(out?.shape).toEqual([5, 1]);
    tf.dispose([w1, b1, w2, x, out as tf.Tensor, ...expected, ...actual]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('steps aside for other ranks, dtypes and widths, and above the limit', async () => {
    await tf.setBackend(backend);
    const w = tf.ones([2, 3]);
    const linear: MlpStep[] = [{ op: 'linear', weight: w }];
    const rank3 = tf.ones([1, 2, 3]);
    const ints = tf.ones([2, 3], 'int32');
    const wide = tf.ones([2, 4]);
    const ok = tf.ones([2, 3]);
    expect(fusedMlp(linear, rank3)).toBeUndefined();
    expect(fusedMlp(linear, ints)).toBeUndefined();
    expect(fusedMlp(linear, wide)).toBeUndefined();
    expect(fusedMlp([], ok)).toBeUndefined();
    expect(fusedMlp(linear, ok, 11)).toBeUndefined();
    const fits = fusedMlp(linear, ok, 12);
    expect(fits?.shape).toEqual([2, 2]);
    expect(FUSED_MLP_LIMIT).toBe(49_152);
    tf.dispose([w, rank3, ints, wide, ok, fits as tf.Tensor]);
  });
});

import { describe, expect, it } from 'vitest';
import { onBackend } from '../../test/parity';
import { tf } from '../index';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('matMul on wasm with one memory as b in two shapes', () => {
  // tfjs-backend-wasm 4.22 keeps XNNPACK's packing of b by tensor id, and a reshape keeps the id.
  it('multiplies by the values, not by the packing of the other shape', async () => {
    await onBackend('wasm', () => {
      const v = tf.tensor2d([1, -1, 2, -2], [1, 4]);
      const h = tf.tensor2d([1, 2, 3, 4, 0.5, 0, -1, 2], [2, 4]);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        expect(values(tf.matMul(h, tf.reshape(v, [4, 1])))).toEqual([-3, -5.5]);
        expect(values(tf.matMul(tf.ones([2, 1]), v))).toEqual([1, -1, 2, -2, 1, -1, 2, -2]);
        // A row given with transposeB is relabelled as a column (same memory) before XNNPACK.
        expect(values(tf.matMul(h, v, false, true))).toEqual([-3, -5.5]);
        expect(values(tf.matMul(tf.tensor2d([2, 3], [2, 1]), v))).toEqual([2, -2, 4, -4, 3, -3, 6, -6]);
        expect(values(tf.matMul(tf.ones([3, 1]), tf.clone(v)))).toEqual([
          1, -1, 2, -2, 1, -1, 2, -2, 1, -1, 2, -2,
        ]);
      });
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([v, h]);
    });
  });

  it('keeps the gradient of a small network equal to the cpu backend’s', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor2d([0.3, -1.2, 0.8, 1.5, 0.1, -0.4], [2, 3]);
        const w1 = tf.tensor2d([0.2, -0.5, 0.1, 0.7, 0.3, -0.2, -0.4, 0.6, 0.5, 0.1, -0.3, 0.2], [4, 3]);
        const w2 = tf.tensor2d([0.5, -0.25, 0.75, -1], [1, 4]);
        const g = tf.grad((xi: tf.Tensor) =>
          tf.sum(tf.matMul(tf.tanh(tf.matMul(xi, w1, false, true)), w2, false, true)),
        );
        return values(g(x));
      });
    const wasm = await onBackend('wasm', run);
    const cpu = await onBackend('cpu', run);
    for (let i = 0; i < cpu.length; i++) expect(wasm[i]).toBeCloseTo(cpu[i], 6);
  });
});

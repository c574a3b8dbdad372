import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { valuesView } from './values-view';

describe('valuesView', () => {
  it("gives a tensor's float32 and int32 values, as dataSync does", () => {
    const a = tf.tensor2d([
      [1.5, -2],
      [3, 4.25],
    ]);
    const b = tf.tensor1d([7, -8, 9], 'int32');
    const c = tf.tidy(() => tf.add(a, 1)); // a kernel's output, not an uploaded array
    expect(Array.from(valuesView(a))).toEqual([1.5, -2, 3, 4.25]);
    expect(valuesView(b)).toBeInstanceOf(Int32Array);
    expect(Array.from(valuesView(b))).toEqual([7, -8, 9]);
    expect(Array.from(valuesView(c))).toEqual(Array.from(c.dataSync()));
    tf.dispose([a, b, c]);
  });
});

describe('valuesView on the host backends', () => {
  for (const backend of ['wasm', 'cpu']) {
    it(`reads the tensor's own memory on ${backend}, no copy`, async () => {
      await tf.setBackend(backend);
      const a = tf.tensor1d([1, 2, 3]);
      const [first, second] = [valuesView(a), valuesView(a)];
      // A copy would give a new buffer each time (dataSync on WASM does; on cpu it gives the
      // backend's own array too).
      expect(second.buffer).toBe(first.buffer);
      expect(second.byteOffset).toBe(first.byteOffset);
      a.dispose();
      await tf.setBackend('wasm');
    });
  }
});

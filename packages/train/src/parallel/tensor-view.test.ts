import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { readValues } from './tensor-view';

describe('readValues', () => {
  it("gives a tensor's float32 and int32 values, as dataSync does", () => {
    const a = tf.tensor2d([
      [1.5, -2],
      [3, 4.25],
    ]);
    const b = tf.tensor1d([7, -8, 9], 'int32');
    const c = tf.tidy(() => tf.add(a, 1)); // a kernel's output, not an uploaded array
    expect(Array.from(readValues(a))).toEqual([1.5, -2, 3, 4.25]);
    expect(readValues(b)).toBeInstanceOf(Int32Array);
    expect(Array.from(readValues(b))).toEqual([7, -8, 9]);
    expect(Array.from(readValues(c))).toEqual(Array.from(c.dataSync()));
    tf.dispose([a, b, c]);
  });
});

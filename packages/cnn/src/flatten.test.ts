import { gradCheck, leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { randomNchw } from '../test/reference';
import { Flatten } from './flatten';

describe('Flatten', () => {
  it("flattens [N, C, H, W] in PyTorch's order: index c·H·W + h·W + w", () => {
    const [n, c, h, w] = [2, 3, 2, 4];
    const data = randomNchw([n, c, h, w], 1).data;
    const x = tf.tensor4d(data, [n, c, h, w]);
    const guard = leakGuard();
    const y = new Flatten().forward(x);
    expect(y.shape).toEqual([n, c * h * w]);
    const flat = y.arraySync() as number[][];
    for (let b = 0; b < n; b++)
      for (let ch = 0; ch < c; ch++)
        for (let i = 0; i < h; i++)
          for (let j = 0; j < w; j++) {
            expect(flat[b][ch * h * w + i * w + j]).toBe(Math.fround(data[((b * c + ch) * h + i) * w + j]));
          }
    y.dispose();
    guard.check('Flatten');
    x.dispose();
  });

  it('merges only startDim..endDim, negative from the end', () => {
    const x = tf.zeros([2, 3, 4, 5]);
    const shapeOf = (f: Flatten) => {
      const y = f.forward(x);
      const s = y.shape;
      y.dispose();
      return s;
    };
    expect(shapeOf(new Flatten({ startDim: 2 }))).toEqual([2, 3, 20]);
    expect(shapeOf(new Flatten({ startDim: 0, endDim: 1 }))).toEqual([6, 4, 5]);
    expect(shapeOf(new Flatten({ startDim: 1, endDim: -2 }))).toEqual([2, 12, 5]);
    expect(new Flatten({ startDim: 2 }).toJSON()).toEqual({ type: 'Flatten', startDim: 2, endDim: -1 });
    const bad = new Flatten({ startDim: 3, endDim: 1 });
    expect(() => bad.forward(x)).toThrow(
      'Flatten(3, 1): input: expected a tensor with dimensions 3 to 1 in order, found a float32 tensor of shape [2, 3, 4, 5]',
    );
    expect(() => new Flatten({ startDim: 0.5 })).toThrow('Flatten: startDim: expected an integer, found 0.5');
    x.dispose();
  });

  it('passes gradients through unchanged (finite differences)', () => {
    const x = tf.tensor4d(randomNchw([2, 2, 3, 3], 2).data, [2, 2, 3, 3]);
    const r = tf.tensor2d(randomNchw([1, 1, 2, 18], 3).data, [2, 18]);
    const result = gradCheck((input) => tf.sum(tf.mul(new Flatten().forward(input), r)) as tf.Scalar, [x]);
    expect(result.ok, JSON.stringify(result.worst)).toBe(true);
    tf.dispose([x, r]);
  });
});

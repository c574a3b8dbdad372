import { convolve2d, maxPool2d } from '@descent/cnn';
import { initBackend, tf } from '@descent/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  conv2dOutput,
  courseInput,
  courseKernel,
  frames,
  padded,
  poolExample,
  poolWindow,
  windowProducts,
} from './convolution-recipe';

beforeAll(async () => {
  await initBackend();
});

describe('page 6: convolution by hand', () => {
  it("the course's top-left output is 3, and every cell is its window's products summed", () => {
    for (const [stride, padding] of [
      [1, 0],
      [2, 1],
    ]) {
      const out = convolve2d(courseInput, courseKernel, { stride, padding });
      if (stride === 1) expect(out[0][0]).toBe(3);
      for (const [r, row] of out.entries()) {
        for (const [c, v] of row.entries()) {
          const { products, terms } = windowProducts(courseInput, courseKernel, { r, c }, stride, padding);
          expect(products.flat().reduce((a, b) => a + b, 0)).toBe(v);
          expect(terms).toHaveLength(9);
        }
      }
    }
  });

  it('padding adds rings of zeros; the window cells are in the image coordinates', () => {
    const p = padded([[1, 2]], 1);
    expect(p).toEqual([
      [0, 0, 0, 0],
      [0, 1, 2, 0],
      [0, 0, 0, 0],
    ]);
    expect(windowProducts(courseInput, courseKernel, { r: 0, c: 0 }, 1, 1).cells[0]).toEqual([-1, -1]);
  });

  it('one frame per output cell, convolution first; pooling keeps the largest of each window', () => {
    const conv = convolve2d(courseInput, courseKernel, { stride: 1, padding: 0 });
    const pool = maxPool2d(poolExample, 2, 2);
    const all = frames(conv, pool);
    expect(all).toHaveLength(9 + 4);
    expect(all[9]).toEqual({ kind: 'pool', r: 0, c: 0 });
    for (const f of all.slice(9)) {
      const { cells, best } = poolWindow(poolExample, f, 2);
      expect(cells).toHaveLength(4);
      expect(poolExample[best[0]][best[1]]).toBe(pool[f.r][f.c]);
    }
  });

  it('Conv2d on the backend gives the hand method’s numbers, and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    for (const [stride, padding] of [
      [1, 0],
      [2, 1],
    ]) {
      const values = await conv2dOutput(courseInput, courseKernel, stride, padding);
      const expected = convolve2d(courseInput, courseKernel, { stride, padding }).flat();
      expect(Array.from(values)).toEqual(expected);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

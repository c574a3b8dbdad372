import { Generator, tf } from '@descent/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Conv2d } from './conv2d';
import { MaxPool2d } from './max-pool2d';
import { convolve2d, maxPool2d } from './teaching';

describe('convolve2d, the course’s worked example', () => {
  it('slides the 3x3 filter over the 5x5 binary image: top-left 3, as on the slide', () => {
    // The course's "Typical CNN" slide (seed/deep-learning-course-day3.txt):
    const input = [
      [1, 0, 0, 0, 0],
      [1, 0, 1, 1, 1],
      [0, 0, 1, 1, 1],
      [0, 1, 0, 0, 0],
      [0, 1, 1, 1, 1],
    ];
    const kernel = [
      [1, 0, 1],
      [1, 1, 0],
      [0, 0, 1],
    ];
    // By hand: the kernel's ones are at (0,0), (0,2), (1,0), (1,1), (2,2), so
    // out[i][j] = x[i][j] + x[i][j+2] + x[i+1][j] + x[i+1][j+1] + x[i+2][j+2].
    // (0,0): 1+0+1+0+1 = 3 (the slide's element-wise product [[1,0,0],[1,0,0],[0,0,1]] sums to 3)
    // (0,1): 0+0+0+1+1 = 2    (0,2): 0+0+1+1+1 = 3
    // (1,0): 1+1+0+0+0 = 2    (1,1): 0+1+0+1+0 = 2    (1,2): 1+1+1+1+0 = 4
    // (2,0): 0+1+0+1+1 = 3    (2,1): 0+1+1+0+1 = 3    (2,2): 1+1+0+0+1 = 3
    expect(convolve2d(input, kernel)).toEqual([
      [3, 2, 3],
      [2, 2, 4],
      [3, 3, 3],
    ]);
  });

  it('reproduces the widely used 5x5 / 3x3 "X" filter example: [[4,3,4],[2,4,3],[2,3,4]]', () => {
    const input = [
      [1, 1, 1, 0, 0],
      [0, 1, 1, 1, 0],
      [0, 0, 1, 1, 1],
      [0, 0, 1, 1, 0],
      [0, 1, 1, 0, 0],
    ];
    const kernel = [
      [1, 0, 1],
      [0, 1, 0],
      [1, 0, 1],
    ];
    expect(convolve2d(input, kernel)).toEqual([
      [4, 3, 4],
      [2, 4, 3],
      [2, 3, 4],
    ]);
  });

  it('does not flip the kernel (cross-correlation) and handles stride and padding', () => {
    // A kernel with a single 1 in its top-left corner picks x[i][j]; a flipped kernel would pick x[i+1][j+1].
    const x = [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ];
    expect(
      convolve2d(x, [
        [1, 0],
        [0, 0],
      ]),
    ).toEqual([
      [1, 2],
      [4, 5],
    ]);
    // Padding 1, stride 2, all-ones 3x3 kernel: the 4 corner windows of the zero-padded image.
    // (0,0): 1+2+4+5 = 12; (0,1): 2+3+5+6 = 16; (1,0): 4+5+7+8 = 24; (1,1): 5+6+8+9 = 28.
    const ones = [
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ];
    expect(convolve2d(x, ones, { stride: 2, padding: 1 })).toEqual([
      [12, 16],
      [24, 28],
    ]);
  });

  it('gives the same numbers as Conv2d on random images (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 7 }),
        fc.integer({ min: 3, max: 7 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 1 }),
        fc.integer({ min: 0, max: 1000 }),
        (h, w, k, stride, padding, seed) => {
          const g = new Generator(seed);
          const image = Array.from({ length: h }, () => Array.from({ length: w }, () => g.normal()));
          const kernel = Array.from({ length: k }, () => Array.from({ length: k }, () => g.normal()));
          const conv = new Conv2d(1, 1, k, { stride, padding, bias: false });
          tf.tidy(() => conv.weight.variable.assign(tf.tensor4d(kernel.flat(), [1, 1, k, k])));
          const y = tf.tidy(
            () => conv.forward(tf.tensor4d(image.flat(), [1, 1, h, w])).arraySync() as number[][][][],
          );
          conv.dispose();
          const expected = convolve2d(image, kernel, { stride, padding });
          expect(y[0][0].length).toBe(expected.length);
          y[0][0].forEach((row, i) => {
            row.forEach((v, j) => {
              expect(v).toBeCloseTo(expected[i][j], 4);
            });
          });
        },
      ),
      { numRuns: 25, seed: 42 },
    );
  });

  it('rejects ragged arrays, a kernel larger than the image and bad strides', () => {
    expect(() => convolve2d([[1, 2], [3]], [[1]])).toThrow(
      'convolve2d: input: expected a non-empty rectangular number[][]',
    );
    expect(() => convolve2d([[1, Number.NaN]], [[1]])).toThrow(
      'convolve2d: input[0][1]: expected a finite number, found NaN',
    );
    expect(() => convolve2d([[1, 2]], [[1], [1]])).toThrow(
      'convolve2d: kernel: expected at most 1 x 2 (the padded input), found 2 x 1',
    );
    expect(() => convolve2d([[1]], [[1]], { stride: 0 })).toThrow(
      'convolve2d: stride: expected a positive integer, found 0',
    );
  });
});

describe('maxPool2d on arrays', () => {
  it('keeps the largest value of each 2x2 window: "did we see this feature here?"', () => {
    const x = [
      [1, 3, 2, 1],
      [4, 2, 0, 1],
      [5, 1, 7, 8],
      [0, 6, 2, 3],
    ];
    expect(maxPool2d(x, 2)).toEqual([
      [4, 2],
      [6, 8],
    ]);
    // Overlapping 3x3 windows, stride 1: the max of rows/cols 0-2, 0-2 is 7, etc.
    expect(maxPool2d(x, 3, 1)).toEqual([
      [7, 8],
      [7, 8],
    ]);
  });

  it('matches MaxPool2d on random images', () => {
    const g = new Generator(3);
    const image = Array.from({ length: 7 }, () => Array.from({ length: 6 }, () => g.normal()));
    for (const [size, stride] of [
      [2, 2],
      [3, 2],
      [3, 1],
    ]) {
      const y = tf.tidy(
        () =>
          new MaxPool2d(size, { stride })
            .forward(tf.tensor4d(image.flat(), [1, 1, 7, 6]))
            .arraySync() as number[][][][],
      );
      const expected = maxPool2d(image, size, stride).map((row) => row.map(Math.fround));
      expect(y[0][0]).toEqual(expected);
    }
    expect(() => maxPool2d(image, 8)).toThrow('maxPool2d: size: expected at most 6 (the input), found 8');
  });
});

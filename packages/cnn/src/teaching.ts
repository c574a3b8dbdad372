import { argumentError, DescentArgumentError } from '@descent/tensor';

/** Options of the plain-array `convolve2d`: stride and zero padding. */
export interface Convolve2dOptions {
  stride?: number;
  /** Zeros added on every side. */
  padding?: number;
}

function checkMatrix(where: string, m: unknown): number[][] {
  if (
    !Array.isArray(m) ||
    m.length === 0 ||
    !m.every((row) => Array.isArray(row) && row.length === m[0].length && row.length > 0)
  ) {
    throw argumentError(
      where,
      'a non-empty rectangular number[][]',
      Array.isArray(m) ? 'a ragged or empty array' : m,
    );
  }
  m.forEach((row: unknown[], i) => {
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw argumentError(`${where}[${i}][${j}]`, 'a finite number', v);
    });
  });
  return m as number[][];
}

function checkInteger(where: string, v: unknown, min: number): number {
  if (!Number.isInteger(v) || (v as number) < min)
    throw argumentError(where, min === 0 ? 'a non-negative integer' : 'a positive integer', v);
  return v as number;
}

/**
 * The convolution of the course, on plain arrays: slide `kernel` over `input` and at each position
 * sum the element-wise products. Like every deep-learning library (and unlike the textbook
 * convolution of signal processing) the kernel is not flipped: this is a cross-correlation, the
 * same numbers as Conv2d. Output size: floor((H + 2·padding - kh) / stride) + 1 per dimension.
 */
export function convolve2d(
  input: number[][],
  kernel: number[][],
  options: Convolve2dOptions = {},
): number[][] {
  const x = checkMatrix('convolve2d: input', input);
  const k = checkMatrix('convolve2d: kernel', kernel);
  const stride = checkInteger('convolve2d: stride', options.stride ?? 1, 1);
  const padding = checkInteger('convolve2d: padding', options.padding ?? 0, 0);
  const [h, w, kh, kw] = [x.length, x[0].length, k.length, k[0].length];
  if (h + 2 * padding < kh || w + 2 * padding < kw) {
    throw new DescentArgumentError(
      `convolve2d: kernel: expected at most ${h + 2 * padding} x ${w + 2 * padding} (the padded input), found ${kh} x ${kw}`,
    );
  }
  const at = (i: number, j: number) => (i < 0 || j < 0 || i >= h || j >= w ? 0 : x[i][j]);
  const rows = Math.floor((h + 2 * padding - kh) / stride) + 1;
  const cols = Math.floor((w + 2 * padding - kw) / stride) + 1;
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => {
      let sum = 0;
      for (let a = 0; a < kh; a++) {
        for (let b = 0; b < kw; b++) sum += at(r * stride - padding + a, c * stride - padding + b) * k[a][b];
      }
      return sum;
    }),
  );
}

/** Max pooling on plain arrays: the largest value of each size × size window, windows `stride` apart. */
export function maxPool2d(input: number[][], size: number, stride: number = size): number[][] {
  const x = checkMatrix('maxPool2d: input', input);
  checkInteger('maxPool2d: size', size, 1);
  checkInteger('maxPool2d: stride', stride, 1);
  const [h, w] = [x.length, x[0].length];
  if (h < size || w < size) {
    throw new DescentArgumentError(
      `maxPool2d: size: expected at most ${Math.min(h, w)} (the input), found ${size}`,
    );
  }
  const rows = Math.floor((h - size) / stride) + 1;
  const cols = Math.floor((w - size) / stride) + 1;
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => {
      let best = -Infinity;
      for (let a = 0; a < size; a++) {
        for (let b = 0; b < size; b++) best = Math.max(best, x[r * stride + a][c * stride + b]);
      }
      return best;
    }),
  );
}

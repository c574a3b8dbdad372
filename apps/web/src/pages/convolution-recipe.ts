import { Conv2d } from '@descent/cnn';
import { tf } from '@descent/tensor';

/** Page 6's recipe: the course's example, the animation's frames, each cell's sums (no DOM). */

/** The course's "Typical CNN" slide: a 5×5 binary image and a 3×3 filter; the top-left output is 3. */
export const courseInput = [
  [1, 0, 0, 0, 0],
  [1, 0, 1, 1, 1],
  [0, 0, 1, 1, 1],
  [0, 1, 0, 0, 0],
  [0, 1, 1, 1, 1],
];
export const courseKernel = [
  [1, 0, 1],
  [1, 1, 0],
  [0, 0, 1],
];
export const poolExample = [
  [1, 3, 2, 1],
  [4, 2, 0, 1],
  [5, 1, 7, 8],
  [0, 6, 2, 3],
];

export type Frame = { kind: 'conv' | 'pool'; r: number; c: number };

/** One frame per output cell: every convolution cell row by row, then every pooled cell. */
export function frames(convOut: number[][], poolOut: number[][]): Frame[] {
  return [
    ...convOut.flatMap((row, r) => row.map((_, c) => ({ kind: 'conv' as const, r, c }))),
    ...poolOut.flatMap((row, r) => row.map((_, c) => ({ kind: 'pool' as const, r, c }))),
  ];
}

/** The image with `p` rings of zeros around it. */
export function padded(x: number[][], p: number): number[][] {
  if (p === 0) return x;
  const w = x[0].length + 2 * p;
  return [
    ...Array.from({ length: p }, () => new Array(w).fill(0)),
    ...x.map((row) => [...new Array(p).fill(0), ...row, ...new Array(p).fill(0)]),
    ...Array.from({ length: p }, () => new Array(w).fill(0)),
  ];
}

/**
 * Output cell (r, c) by hand: the filter over its window of the padded image, each product,
 * and the window's cells in the unpadded image's coordinates (for marking them).
 */
export function windowProducts(
  x: number[][],
  k: number[][],
  at: { r: number; c: number },
  stride: number,
  padding: number,
) {
  const image = padded(x, padding);
  const cells: [number, number][] = [];
  const terms: [number, number][] = [];
  const products = k.map((row, a) =>
    row.map((kv, b) => {
      const r = at.r * stride + a;
      const c = at.c * stride + b;
      cells.push([r - padding, c - padding]);
      terms.push([image[r][c], kv]);
      return image[r][c] * kv;
    }),
  );
  return { products, cells, terms };
}

/** Pooled cell (r, c): its window's cells and where their largest value is. */
export function poolWindow(x: number[][], at: { r: number; c: number }, size: number) {
  const step = size === 2 ? 2 : 1;
  const cells: [number, number][] = [];
  let best: [number, number] = [at.r * step, at.c * step];
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++) {
      const r = at.r * step + a;
      const c = at.c * step + b;
      cells.push([r, c]);
      if (x[r][c] > x[best[0]][best[1]]) best = [r, c];
    }
  }
  return { cells, best };
}

/** The same convolution by the real layer (`Conv2d`, bias off) on the running backend. */
export async function conv2dOutput(x: number[][], k: number[][], stride: number, padding: number) {
  const conv = new Conv2d(1, 1, 3, { stride, padding, bias: false });
  try {
    tf.tidy(() => conv.weight.variable.assign(tf.tensor4d(k.flat(), [1, 1, 3, 3])));
    const y = tf.tidy(() => conv.forward(tf.tensor4d(x.flat(), [1, 1, x.length, x[0].length])));
    const values = await y.data();
    y.dispose();
    return values;
  } finally {
    conv.dispose();
  }
}

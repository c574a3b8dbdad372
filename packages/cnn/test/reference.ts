import { Generator } from '@descent/tensor';

/** Plain-loop references for the layers, written from the definitions, independent of tfjs. */

export interface Nchw {
  data: number[];
  shape: [number, number, number, number];
}

export function randomArray(size: number, seed: number): number[] {
  const g = new Generator(seed);
  return Array.from({ length: size }, () => g.normal());
}

export function randomNchw(shape: [number, number, number, number], seed: number): Nchw {
  return { data: randomArray(shape[0] * shape[1] * shape[2] * shape[3], seed), shape };
}

const idx = (s: number[], a: number, b: number, c: number, d: number) =>
  ((a * s[1] + b) * s[2] + c) * s[3] + d;

/** y[n][o][i][j] = b[o] + Σ_c Σ_a Σ_b x[n][c][i·sh - ph + a][j·sw - pw + b] · w[o][c][a][b], zeros outside. */
export function conv2dReference(
  x: Nchw,
  weight: Nchw,
  bias: number[] | null,
  stride: [number, number],
  padding: [number, number],
): Nchw {
  const [n, c, h, w] = x.shape;
  const [out, , kh, kw] = weight.shape;
  const oh = Math.floor((h + 2 * padding[0] - kh) / stride[0]) + 1;
  const ow = Math.floor((w + 2 * padding[1] - kw) / stride[1]) + 1;
  const shape: [number, number, number, number] = [n, out, oh, ow];
  const data = new Array<number>(n * out * oh * ow).fill(0);
  for (let b = 0; b < n; b++)
    for (let o = 0; o < out; o++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let sum = bias ? bias[o] : 0;
          for (let ch = 0; ch < c; ch++)
            for (let a = 0; a < kh; a++)
              for (let d = 0; d < kw; d++) {
                const r = i * stride[0] - padding[0] + a;
                const q = j * stride[1] - padding[1] + d;
                if (r < 0 || q < 0 || r >= h || q >= w) continue;
                sum += x.data[idx(x.shape, b, ch, r, q)] * weight.data[idx(weight.shape, o, ch, a, d)];
              }
          data[idx(shape, b, o, i, j)] = sum;
        }
  return { data, shape };
}

/** Max or mean over each window; padding is -∞ for max, and counted or not for the mean. */
export function pool2dReference(
  x: Nchw,
  kind: 'max' | 'avg',
  kernel: [number, number],
  stride: [number, number],
  padding: [number, number],
  countIncludePad = true,
): Nchw {
  const [n, c, h, w] = x.shape;
  const oh = Math.floor((h + 2 * padding[0] - kernel[0]) / stride[0]) + 1;
  const ow = Math.floor((w + 2 * padding[1] - kernel[1]) / stride[1]) + 1;
  const shape: [number, number, number, number] = [n, c, oh, ow];
  const data = new Array<number>(n * c * oh * ow).fill(0);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let best = -Infinity;
          let sum = 0;
          let real = 0;
          for (let a = 0; a < kernel[0]; a++)
            for (let d = 0; d < kernel[1]; d++) {
              const r = i * stride[0] - padding[0] + a;
              const q = j * stride[1] - padding[1] + d;
              if (r < 0 || q < 0 || r >= h || q >= w) continue;
              const v = x.data[idx(x.shape, b, ch, r, q)];
              best = Math.max(best, v);
              sum += v;
              real++;
            }
          const count = countIncludePad ? kernel[0] * kernel[1] : real;
          data[idx(shape, b, ch, i, j)] = kind === 'max' ? best : sum / count;
        }
  return { data, shape };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

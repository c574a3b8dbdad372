import type { Tensor } from '@tensorflow/tfjs-core';
import type { HostKernel } from './host-kernel';

/**
 * y = x Wᵀ + b for `rows` rows, W stored [out, in]. Four rows at a time share each weight read,
 * which doubles plain JavaScript's speed on these short rows. Sums run in float64 and round once;
 * the gradients accumulate in float32, as tfjs's matmul does.
 */
function linearForward(
  x: Float32Array,
  rows: number,
  nIn: number,
  nOut: number,
  w: Float32Array,
  b?: Float32Array,
) {
  const y = new Float32Array(rows * nOut);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const x0 = r * nIn;
    const x1 = x0 + nIn;
    const x2 = x1 + nIn;
    const x3 = x2 + nIn;
    const y0 = r * nOut;
    for (let o = 0; o < nOut; o++) {
      const wo = o * nIn;
      let s0 = b ? b[o] : 0;
      let s1 = s0;
      let s2 = s0;
      let s3 = s0;
      for (let i = 0; i < nIn; i++) {
        const wv = w[wo + i];
        s0 += x[x0 + i] * wv;
        s1 += x[x1 + i] * wv;
        s2 += x[x2 + i] * wv;
        s3 += x[x3 + i] * wv;
      }
      y[y0 + o] = s0;
      y[y0 + nOut + o] = s1;
      y[y0 + 2 * nOut + o] = s2;
      y[y0 + 3 * nOut + o] = s3;
    }
  }
  for (; r < rows; r++) {
    const xr = r * nIn;
    for (let o = 0; o < nOut; o++) {
      const wo = o * nIn;
      let sum = b ? b[o] : 0;
      for (let i = 0; i < nIn; i++) sum += x[xr + i] * w[wo + i];
      y[r * nOut + o] = sum;
    }
  }
  return y;
}

/**
 * dx = dy W, dW = dyᵀ x, db = the column sums of dy. Four rows at a time again: each weight and
 * each dW element is read once per four rows. A block whose upstream gradients are all zero
 * (ReLUs that are off) skips its work.
 */
function linearBackward(
  dy: Float32Array,
  x: Float32Array,
  rows: number,
  nIn: number,
  nOut: number,
  w: Float32Array,
) {
  const dx = new Float32Array(rows * nIn);
  const dw = new Float32Array(nOut * nIn);
  const db = new Float32Array(nOut);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const x0 = r * nIn;
    const x1 = x0 + nIn;
    const x2 = x1 + nIn;
    const x3 = x2 + nIn;
    const d0 = r * nOut;
    for (let o = 0; o < nOut; o++) {
      const g0 = dy[d0 + o];
      const g1 = dy[d0 + nOut + o];
      const g2 = dy[d0 + 2 * nOut + o];
      const g3 = dy[d0 + 3 * nOut + o];
      if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0) continue;
      db[o] += g0 + g1 + g2 + g3;
      const wo = o * nIn;
      for (let i = 0; i < nIn; i++) {
        const wv = w[wo + i];
        dw[wo + i] += g0 * x[x0 + i] + g1 * x[x1 + i] + g2 * x[x2 + i] + g3 * x[x3 + i];
        dx[x0 + i] += g0 * wv;
        dx[x1 + i] += g1 * wv;
        dx[x2 + i] += g2 * wv;
        dx[x3 + i] += g3 * wv;
      }
    }
  }
  for (; r < rows; r++) {
    const xr = r * nIn;
    for (let o = 0; o < nOut; o++) {
      const g = dy[r * nOut + o];
      if (g === 0) continue;
      db[o] += g;
      const wo = o * nIn;
      for (let i = 0; i < nIn; i++) {
        dx[xr + i] += g * w[wo + i];
        dw[wo + i] += g * x[xr + i];
      }
    }
  }
  return { dx, dw, db };
}

/** x Wᵀ + b over host arrays (host-kernel.ts), with W a [out, in] tensor and b an [out] one. */
export function linearKernel(weight: Tensor, bias?: Tensor): HostKernel {
  const [nOut, nIn] = weight.shape as [number, number];
  return {
    params: bias ? [weight, bias] : [weight],
    outCols: (cols) => (cols === nIn ? nOut : undefined),
    costPerRow: nIn * nOut,
    forward: (x, rows, _cols, [w, b]) => linearForward(x, rows, nIn, nOut, w, b),
    backward(dy, x, _y, rows, _cols, [w]) {
      const { dx, dw, db } = linearBackward(dy, x, rows, nIn, nOut, w);
      return { dx, dParams: bias ? [dw, db] : [dw] };
    },
  };
}

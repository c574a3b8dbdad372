// Shared fixtures for the tests (not exported by the package).

import { Generator } from '@descent/random';
import type { Matrix } from './matrix.js';

export function randomRows(rows: number, cols: number, seed: number, scale = 1): number[][] {
  const rng = new Generator(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal() * scale));
}

export function linearModel(w: number[], bias = 0) {
  return (X: Matrix) => {
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = bias;
      for (let j = 0; j < X.cols; j++) s += w[j] * X.data[i * X.cols + j];
      out[i] = s;
    }
    return out;
  };
}

/** A fixed nonlinear model with higher-order interactions: sigmoid of a small random two-layer network. */
export function mlpModel(cols: number, seed: number, hidden = 8) {
  const rng = new Generator(seed);
  const W1 = Array.from({ length: hidden * cols }, () => rng.normal());
  const b1 = Array.from({ length: hidden }, () => rng.normal() * 0.5);
  const W2 = Array.from({ length: hidden }, () => rng.normal());
  return (X: Matrix) => {
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let z = 0.1;
      for (let h = 0; h < hidden; h++) {
        let a = b1[h];
        for (let j = 0; j < cols; j++) a += W1[h * cols + j] * X.data[i * X.cols + j];
        z += W2[h] * Math.tanh(a);
      }
      out[i] = 1 / (1 + Math.exp(-z));
    }
    return out;
  };
}

export const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

export function maxAbsDiff(a: number[][], b: number[][]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < a[i].length; j++) m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
  return m;
}

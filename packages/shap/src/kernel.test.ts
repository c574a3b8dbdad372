import { Generator, mixSeed } from '@descent/random';
import { describe, expect, it } from 'vitest';
import { ExactExplainer } from './exact.js';
import { KernelExplainer } from './kernel.js';
import { kernelCoalitions } from './kernel-coalitions.js';
import { linearModel, maxAbsDiff, mlpModel, randomRows, sum } from './test-helpers.js';

/** Constrained WLS by a different route: the KKT system [ZᵀWZ 1; 1ᵀ 0][φ; λ] = [ZᵀWy; total], Gaussian elimination. */
function referenceSolve(
  masks: Uint8Array,
  w: Float64Array,
  n: number,
  M: number,
  y: number[],
  total: number,
): number[] {
  const D = M + 1;
  const A = Array.from({ length: D }, () => new Array<number>(D + 1).fill(0));
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < M; a++) {
      const za = masks[i * M + a];
      if (!za) continue;
      A[a][D] += w[i] * y[i];
      for (let b = 0; b < M; b++) A[a][b] += w[i] * masks[i * M + b];
    }
  }
  for (let a = 0; a < M; a++) {
    A[a][M] = 1;
    A[M][a] = 1;
  }
  A[M][D] = total;
  for (let col = 0; col < D; col++) {
    let piv = col;
    for (let r = col + 1; r < D; r++) if (Math.abs(A[r][col]) > Math.abs(A[piv][col])) piv = r;
    [A[col], A[piv]] = [A[piv], A[col]];
    for (let r = 0; r < D; r++) {
      if (r === col) continue;
      const f = A[r][col] / A[col][col];
      for (let k = col; k <= D; k++) A[r][k] -= f * A[col][k];
    }
  }
  return Array.from({ length: M }, (_, a) => A[a][D] / A[a][a]);
}

describe('KernelExplainer', () => {
  it('agrees with ExactExplainer to 1e-6 when the budget covers every coalition', async () => {
    const M = 6;
    const bg = randomRows(10, M, 11);
    const X = randomRows(3, M, 12);
    const model = mlpModel(M, 13);
    const exact = await new ExactExplainer(model, bg).explain(X);
    const kernel = await new KernelExplainer(model, bg).explain(X);
    expect(maxAbsDiff(kernel.values, exact.values)).toBeLessThan(1e-6);
  });

  it('converges towards the exact values as nsamples grows', async () => {
    const M = 10;
    const bg = randomRows(8, M, 21);
    const X = randomRows(2, M, 22);
    const model = mlpModel(M, 23);
    const exact = await new ExactExplainer(model, bg).explain(X);
    const error = async (nsamples: number) => {
      let e = 0;
      for (const seed of [1, 2, 3, 4]) {
        const k = await new KernelExplainer(model, bg, { nsamples, seed, lReg: false }).explain(X);
        e += k.values
          .flatMap((r, i) => r.map((v, j) => Math.abs(v - exact.values[i][j])))
          .reduce((a, b) => a + b, 0);
      }
      return e;
    };
    const small = await error(40);
    const large = await error(800);
    expect(large).toBeLessThan(small / 2);
  });

  it('solves the same constrained regression as an independent KKT solve of its coalitions', async () => {
    const M = 9;
    const bg = randomRows(5, M, 31);
    const x = randomRows(1, M, 32)[0];
    const model = mlpModel(M, 33);
    const seed = 17;
    const k = await new KernelExplainer(model, bg, { nsamples: 120, seed, lReg: false }).explain([x]);
    // The explainer gives row i its own stream, seeded mixSeed(seed, i).
    const c = kernelCoalitions(M, 120, new Generator(mixSeed(seed, 0)));
    const value = (mask: ArrayLike<number>) => {
      const rows = bg.map((b) => b.map((v, j) => (mask[j] ? x[j] : v)));
      return sum(model({ data: Float64Array.from(rows.flat()), rows: rows.length, cols: M })) / rows.length;
    };
    const fnull = value(new Array(M).fill(0));
    const fx = value(new Array(M).fill(1));
    const y = Array.from({ length: c.count }, (_, i) => value(c.masks.subarray(i * M, (i + 1) * M)) - fnull);
    const ref = referenceSolve(c.masks, c.weights, c.count, M, y, fx - fnull);
    for (let j = 0; j < M; j++) expect(k.values[0][j]).toBeCloseTo(ref[j], 9);
  });

  it('stays exact for a linear model when sampling with AIC selection (lReg auto)', async () => {
    const M = 12;
    const w = [1, -2, 0, 0.5, 3, 0, 0, -1, 2, 0, 0.1, 4];
    const bg = randomRows(6, M, 41);
    const X = randomRows(2, M, 42);
    const k = await new KernelExplainer(linearModel(w), bg, { nsamples: 300 }).explain(X);
    const mean = w.map((_, j) => sum(bg.map((r) => r[j])) / bg.length);
    expect(
      maxAbsDiff(
        k.values,
        X.map((r) => r.map((v, j) => w[j] * (v - mean[j]))),
      ),
    ).toBeLessThan(1e-9);
  });

  it("keeps exactly k features with lReg 'num_features(k)' and stays efficient", async () => {
    const M = 10;
    const w = [5, -4, 3, 0.01, 0.02, -0.01, 0.03, 0.01, 0.02, 0.01];
    const bg = [new Array(M).fill(0)];
    const x = new Array(M).fill(1);
    const k = await new KernelExplainer(linearModel(w), bg, {
      nsamples: 200,
      lReg: 'num_features(3)',
    }).explain([x]);
    const nonzero = k.values[0].flatMap((v, j) => (v !== 0 ? [j] : []));
    expect(nonzero).toEqual([0, 1, 2]);
    expect(sum(k.values[0])).toBeCloseTo(sum(w), 12);
  });

  it("with lReg 'aic' zeroes features that do not matter", async () => {
    const M = 14;
    // Additive in the first four columns, the others ignored.
    const model = (X: { data: Float64Array | Float32Array; rows: number; cols: number }) =>
      Float64Array.from({ length: X.rows }, (_, i) => {
        const r = X.data.subarray(i * X.cols, (i + 1) * X.cols);
        return Math.tanh(r[0]) + r[1] ** 2 + Math.exp(0.3 * r[2]) - r[3];
      });
    const bg = randomRows(5, M, 52);
    const x = randomRows(1, M, 53);
    const k = await new KernelExplainer(model, bg, { nsamples: 500, lReg: 'aic' }).explain(x);
    const exact = (j: number) => {
      const g = [Math.tanh, (v: number) => v ** 2, (v: number) => Math.exp(0.3 * v), (v: number) => -v][j];
      return g(x[0][j]) - sum(bg.map((b) => g(b[j]))) / bg.length;
    };
    for (let j = 0; j < 4; j++) expect(k.values[0][j]).toBeCloseTo(exact(j), 9);
    for (let j = 4; j < M; j++) expect(k.values[0][j]).toBe(0);
  });
  it('stays efficient with too few coalitions for the regression (rank deficient: minimum-norm solution)', async () => {
    const M = 10;
    const bg = randomRows(4, M, 61);
    const X = randomRows(2, M, 62);
    const model = mlpModel(M, 63);
    const k = await new KernelExplainer(model, bg, { nsamples: 4, lReg: false }).explain(X);
    const fx = model({ data: Float64Array.from(X.flat()), rows: 2, cols: M });
    for (let i = 0; i < 2; i++) expect(k.baseValues[i] + sum(k.values[i])).toBeCloseTo(fx[i], 12);
    for (const r of k.values) for (const v of r) expect(Number.isFinite(v)).toBe(true);
  });

  it("keeps every feature with 'num_features(k)' when k ≥ M, and reports E[f] through expectedValue()", async () => {
    const M = 5;
    const bg = randomRows(6, M, 71);
    const model = mlpModel(M, 72);
    const all = new KernelExplainer(model, bg, { lReg: 'num_features(9)' });
    const plain = new KernelExplainer(model, bg, { lReg: false });
    const X = randomRows(1, M, 73);
    expect(maxAbsDiff((await all.explain(X)).values, (await plain.explain(X)).values)).toBeLessThan(1e-12);
    const fb = model({ data: Float64Array.from(bg.flat()), rows: bg.length, cols: M });
    expect((await plain.expectedValue())[0]).toBeCloseTo(sum(fb) / bg.length, 14);
  });
});

import { Generator } from '@descent/random';
import { describe, expect, it } from 'vitest';
import { ExactExplainer } from './exact.js';
import type { Matrix } from './matrix.js';
import { PermutationExplainer } from './permutation.js';
import { maxAbsDiff, mlpModel, randomRows } from './test-helpers.js';

describe('PermutationExplainer', () => {
  it('is exact on a model with pairwise interactions, with a single permutation', async () => {
    const M = 8;
    const rng = new Generator(71);
    const w = Array.from({ length: M }, () => rng.normal());
    const A = Array.from({ length: M * M }, () => rng.normal());
    const model = (X: Matrix) =>
      Float64Array.from({ length: X.rows }, (_, i) => {
        const r = X.data.subarray(i * M, (i + 1) * M);
        let s = 0;
        for (let a = 0; a < M; a++) {
          s += w[a] * Math.sin(r[a]);
          for (let b = a + 1; b < M; b++) s += A[a * M + b] * r[a] * Math.tanh(r[b]);
        }
        return s;
      });
    const bg = randomRows(6, M, 72);
    const X = randomRows(3, M, 73);
    const exact = await new ExactExplainer(model, bg).explain(X);
    for (const npermutations of [1, 4]) {
      const perm = await new PermutationExplainer(model, bg, { npermutations, seed: npermutations }).explain(
        X,
      );
      expect(maxAbsDiff(perm.values, exact.values)).toBeLessThan(1e-10);
    }
  });

  it('splits an interaction equally: f = x1·x2 with a zero background gives φ1 = φ2 = x1x2/2', async () => {
    const model = (X: Matrix) =>
      Float64Array.from({ length: X.rows }, (_, i) => X.data[i * 3] * X.data[i * 3 + 1]);
    const e = await new PermutationExplainer(model, [[0, 0, 0]], { npermutations: 1 }).explain([[3, -5, 2]]);
    expect(e.values[0]).toEqual([-7.5, -7.5, 0]);
  });

  it('is not exact for third-order interactions (so the pairwise test above can fail)', async () => {
    const M = 6;
    const model = mlpModel(M, 75);
    const bg = randomRows(5, M, 76);
    const X = randomRows(1, M, 77);
    const exact = await new ExactExplainer(model, bg).explain(X);
    const perm = await new PermutationExplainer(model, bg, { npermutations: 1 }).explain(X);
    expect(maxAbsDiff(perm.values, exact.values)).toBeGreaterThan(1e-6);
  });

  it('derives the number of permutations from maxEvals as shap does: ⌊maxEvals / (2M + 1)⌋', async () => {
    const M = 6;
    const model = mlpModel(M, 78);
    const bg = randomRows(3, M, 79);
    const X = randomRows(1, M, 80);
    // 2M + 1 = 13: 40 evaluations buy 3 permutations.
    const byEvals = await new PermutationExplainer(model, bg, { maxEvals: 40 }).explain(X);
    const three = await new PermutationExplainer(model, bg, { npermutations: 3 }).explain(X);
    const four = await new PermutationExplainer(model, bg, { npermutations: 4 }).explain(X);
    expect(byEvals.values).toEqual(three.values);
    expect(byEvals.values).not.toEqual(four.values);
    const tiny = await new PermutationExplainer(model, bg, { maxEvals: 1 }).explain(X);
    expect(tiny.values).toEqual(
      (await new PermutationExplainer(model, bg, { npermutations: 1 }).explain(X)).values,
    );
  });

  it('rejects a bad npermutations', () => {
    expect(
      () => new PermutationExplainer((X: Matrix) => new Float64Array(X.rows), [[0]], { npermutations: 0 }),
    ).toThrow('npermutations: expected a positive integer, found 0');
  });
});

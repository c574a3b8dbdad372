import { describe, expect, it } from 'vitest';
import { ExactExplainer } from './exact.js';
import type { Matrix } from './matrix.js';
import { maxAbsDiff, mlpModel, randomRows, sum } from './test-helpers.js';

/** Shapley values from the definition: average marginal contribution over all M! orders. */
function shapleyByOrders(v: (S: Set<number>) => number, M: number): number[] {
  const phi = new Array<number>(M).fill(0);
  let count = 0;
  const perm: number[] = [];
  const used = new Array<boolean>(M).fill(false);
  const walk = () => {
    if (perm.length === M) {
      const S = new Set<number>();
      for (const i of perm) {
        const before = v(S);
        S.add(i);
        phi[i] += v(S) - before;
      }
      count++;
      return;
    }
    for (let i = 0; i < M; i++) {
      if (used[i]) continue;
      used[i] = true;
      perm.push(i);
      walk();
      perm.pop();
      used[i] = false;
    }
  };
  walk();
  return phi.map((p) => p / count);
}

describe('ExactExplainer', () => {
  it('matches the Shapley definition (all M! orders) on a nonlinear model', async () => {
    const M = 5;
    const bg = randomRows(4, M, 61);
    const x = randomRows(1, M, 62)[0];
    const model = mlpModel(M, 63);
    const v = (S: Set<number>) => {
      const rows = bg.map((b) => b.map((val, j) => (S.has(j) ? x[j] : val)));
      return sum(model({ data: Float64Array.from(rows.flat()), rows: rows.length, cols: M })) / rows.length;
    };
    const e = await new ExactExplainer(model, bg).explain([x]);
    expect(maxAbsDiff(e.values, [shapleyByOrders(v, M)])).toBeLessThan(1e-12);
  });

  it('refuses more features than maxFeatures, naming M and the limit', () => {
    const f = (X: Matrix) => new Float64Array(X.rows);
    expect(() => new ExactExplainer(f, [new Array(17).fill(0)])).toThrow(
      /background: expected at most maxFeatures = 16 features .*found "M = 17 features"/,
    );
    expect(() => new ExactExplainer(f, [new Array(17).fill(0)], { maxFeatures: 18 })).not.toThrow();
    expect(() => new ExactExplainer(f, [[0]], { maxFeatures: 0 })).toThrow(
      'maxFeatures: expected an integer in [1, 30], found 0',
    );
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { l1Select } from './kernel-solve.js';
import { larsPath, lassoLarsIC, lstsq } from './lars.js';
import type { Dense } from './matrix.js';

interface PathFixture {
  alphas: number[];
  active: number[];
  coefs: number[][];
}
interface Case {
  name: string;
  X: number[][];
  y: number[];
  lar: PathFixture;
  lasso: PathFixture;
  lar_max_iter_3_active: number[];
  aic: { coef: number[]; alpha: number; criterion: number[] };
  bic: { coef: number[]; alpha: number; criterion: number[] };
  shap_aic_nonzero: number[];
  shap_bic_nonzero: number[];
}
// Produced by fixtures/make-lars-fixtures.py with scikit-learn 1.2.1.
const fixture = JSON.parse(readFileSync(new URL('../fixtures/lars.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

const dense = (X: number[][]): Dense => ({
  data: Float64Array.from(X.flat()),
  rows: X.length,
  cols: X[0].length,
});

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number) {
  expect(a.length).toBe(b.length);
  const scale = Math.max(1, ...Array.from(b, Math.abs));
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tol * scale);
}

describe('larsPath against sklearn.linear_model.lars_path', () => {
  for (const c of fixture.cases) {
    for (const method of ['lar', 'lasso'] as const) {
      it(`${c.name}, method ${method}: same knots, coefficients and active set`, () => {
        const path = larsPath(dense(c.X), Float64Array.from(c.y), { method });
        const ref = c[method];
        expectClose(path.alphas, ref.alphas, 1e-8);
        expect(path.coefs.length).toBe(ref.coefs.length);
        for (let k = 0; k < path.coefs.length; k++) expectClose(path.coefs[k], ref.coefs[k], 1e-7);
        expect(path.active).toEqual(ref.active);
      });
    }
    it(`${c.name}: max_iter = 3 keeps the first three to enter`, () => {
      expect(larsPath(dense(c.X), Float64Array.from(c.y), { maxIter: 3 }).active).toEqual(
        c.lar_max_iter_3_active,
      );
    });
    for (const crit of ['aic', 'bic'] as const) {
      it(`${c.name}: LassoLarsIC(${crit}) picks the same knot`, () => {
        const r = lassoLarsIC(dense(c.X), Float64Array.from(c.y), crit);
        expectClose(r.coef, c[crit].coef, 1e-7);
        expect(r.alpha).toBeCloseTo(c[crit].alpha, 9);
        expectClose(r.criterion, c[crit].criterion, 1e-7);
      });
      it(`${c.name}: shap's scaled ${crit} selection keeps the same features`, () => {
        const sel = l1Select(dense(c.X), Float64Array.from(c.y), { kind: crit });
        expect(sel).toEqual(c[`shap_${crit}_nonzero`]);
      });
    }
  }
  it('the drop case really drops a variable (the path has more knots than features + 1)', () => {
    const c = fixture.cases.find((k) => k.name.startsWith('drop'))!;
    expect(c.lasso.coefs.length).toBeGreaterThan(c.X[0].length + 1);
  });
});

describe('lstsq', () => {
  it('gives the minimum-norm solution of a rank-deficient system', () => {
    // Columns 0 and 1 identical: any split of 3 between them fits; the minimum-norm one is 1.5 / 1.5.
    const X = dense([
      [1, 1, 0],
      [2, 2, 1],
      [0, 0, 1],
      [1, 1, 1],
    ]);
    const y = Float64Array.from([3, 7, 1, 4]);
    expectClose(lstsq(X, y), [1.5, 1.5, 1], 1e-12);
  });
});

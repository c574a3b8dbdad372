import { describe, expect, it } from 'vitest';
import { ExactExplainer } from './exact.js';
import type { Explainer, ExplainerOptions } from './explainer.js';
import { KernelExplainer } from './kernel.js';
import type { Matrix, MatrixInput } from './matrix.js';
import type { Model } from './model.js';
import { PermutationExplainer } from './permutation.js';
import { linearModel, maxAbsDiff, mlpModel, randomRows, sum } from './test-helpers.js';

type Make = (model: Model, bg: MatrixInput, opts?: ExplainerOptions) => Explainer;
const explainers: [string, Make][] = [
  ['ExactExplainer', (m, bg, o) => new ExactExplainer(m, bg, o)],
  ['KernelExplainer', (m, bg, o) => new KernelExplainer(m, bg, { nsamples: 40, ...o })],
  ['PermutationExplainer', (m, bg, o) => new PermutationExplainer(m, bg, { npermutations: 3, ...o })],
];

describe.each(explainers)('%s', (name, make) => {
  const M = 7;
  const bg = randomRows(12, M, 1);
  const X = randomRows(4, M, 2);
  const model = mlpModel(M, 3);

  it('is efficient: base value + Σφ = f(x) to 1e-9', async () => {
    const e = await make(model, bg).explain(X);
    const fx = model({ data: Float64Array.from(X.flat()), rows: X.length, cols: M });
    const fnull = sum(model({ data: Float64Array.from(bg.flat()), rows: bg.length, cols: M })) / bg.length;
    e.values.forEach((row, i) => {
      expect(e.baseValues[i]).toBeCloseTo(fnull, 12);
      expect(Math.abs(e.baseValues[i] + sum(row) - fx[i])).toBeLessThan(1e-9);
    });
  });

  it('is efficient in log-odds with the logit link', async () => {
    const e = await make(model, bg, { link: 'logit' }).explain(X);
    const logit = (p: number) => Math.log(p / (1 - p));
    const fx = model({ data: Float64Array.from(X.flat()), rows: X.length, cols: M });
    const fnull = sum(model({ data: Float64Array.from(bg.flat()), rows: bg.length, cols: M })) / bg.length;
    expect(e.link).toBe('logit');
    e.values.forEach((row, i) => {
      expect(e.baseValues[i]).toBeCloseTo(logit(fnull), 12);
      expect(Math.abs(e.baseValues[i] + sum(row) - logit(fx[i]))).toBeLessThan(1e-9);
    });
  });

  it('gives φ_i = w_i (x_i − mean_i) for a linear model with independent background', async () => {
    const w = [1.5, -2, 0.25, 3, 0, -0.7, 1];
    const weights = [3, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1];
    const total = sum(weights);
    const mean = w.map((_, j) => sum(bg.map((r, b) => (r[j] * weights[b]) / total)));
    const e = await make(linearModel(w, 0.3), bg, { backgroundWeights: weights }).explain(X);
    const expected = X.map((r) => r.map((v, j) => w[j] * (v - mean[j])));
    expect(maxAbsDiff(e.values, expected)).toBeLessThan(1e-10);
  });

  it('gives zeros for a constant model', async () => {
    const constant = (x: Matrix) => new Float64Array(x.rows).fill(4.2);
    const c = await make(constant, bg).explain(X);
    for (const row of c.values) for (const v of row) expect(v).toBe(0);
    expect(c.baseValues[0]).toBeCloseTo(4.2, 12);
  });

  it('gives interchangeable features equal values and an ignored feature exactly 0', async () => {
    // f symmetric in x0, x1 (with a symmetric background and x0 = x1 in x); x3 ignored. A few
    // sampled permutations are exact (hence symmetric) only without interactions of three or
    // more features, so the permutation explainer is held to it on f without the x0·x1·x2 term.
    const threeWay = name === 'PermutationExplainer' ? 0 : 1;
    const f = (m: Matrix) => {
      const out = new Float64Array(m.rows);
      for (let i = 0; i < m.rows; i++) {
        const r = m.data.subarray(i * m.cols, (i + 1) * m.cols);
        out[i] =
          Math.sin(r[0] * r[1]) +
          r[0] ** 2 +
          r[1] ** 2 +
          threeWay * r[2] * r[0] * r[1] +
          Math.exp(0.3 * r[4]);
      }
      return out;
    };
    const sbg = randomRows(6, 5, 7).flatMap((r) => [r, [r[1], r[0], r[2], r[3], r[4]]]);
    const e = await make(f, sbg).explain([0.8, 0.8, -1.1, 2.5, 0.4]);
    expect(Math.abs(e.values[0][0] - e.values[0][1])).toBeLessThan(1e-10);
    expect(Math.abs(e.values[0][3])).toBeLessThan(1e-12);
  });

  it('gives 0 to features equal to the background everywhere, and handles one varying feature', async () => {
    const zbg = [
      [0, 1, 2],
      [0, 3, 2],
    ];
    const f = (m: Matrix) =>
      Float64Array.from({ length: m.rows }, (_, i) => m.data[i * 3] * 10 + m.data[i * 3 + 1] ** 2);
    const e = await make(f, zbg).explain([[5, 3, 2]]);
    expect(e.values[0][2]).toBe(0);
    expect(e.values[0][0] + e.values[0][1]).toBeCloseTo(50 + 9 - 5, 12);
    const one = await make(f, zbg).explain([[0, 3, 2]]);
    expect(one.values[0]).toEqual([0, 9 - 5, 0]);
  });

  it('explains every output of a multi-output model', async () => {
    const twoOut = (m: Matrix) => {
      const a = model(m);
      return {
        data: Float64Array.from({ length: m.rows * 2 }, (_, i) => (i % 2 ? 1 - a[i >> 1] : a[i >> 1] * 2)),
        rows: m.rows,
        cols: 2,
      };
    };
    const e = await make(twoOut, bg, { outputNames: ['a', 'b'] }).explain(X.slice(0, 2));
    expect(e.outputs).toBe(2);
    const all = e.allValues();
    expect(all[0][0]).toHaveLength(2);
    // output 1 = 1 − p, output 0 = 2p: values are −½ of output 0's.
    const b = e.output('b');
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < M; j++) expect(b.values[i][j]).toBeCloseTo(-e.values[i][j] / 2, 10);
    }
  });

  it('works with async models and never passes more than batchSize rows', async () => {
    let most = 0;
    let calls = 0;
    const asyncModel = async (m: Matrix) => {
      calls++;
      most = Math.max(most, m.rows);
      await Promise.resolve();
      return model(m);
    };
    const sync = await make(model, bg).explain(X.slice(0, 2));
    const e = await make(asyncModel, bg, { batchSize: 7 }).explain(X.slice(0, 2));
    expect(most).toBeLessThanOrEqual(7);
    expect(calls).toBeGreaterThan(3);
    expect(maxAbsDiff(e.values, sync.values)).toBeLessThan(1e-12);
  });

  it('reports progress per row and stops on abort', async () => {
    const seen: string[] = [];
    await make(model, bg).explain(X, { onProgress: (p) => seen.push(`${p.done}/${p.total}`) });
    expect(seen).toEqual(['1/4', '2/4', '3/4', '4/4']);
    const ctl = new AbortController();
    const slow = (m: Matrix) => {
      ctl.abort(new Error('stop now'));
      return model(m);
    };
    await expect(make(slow, bg).explain(X, { signal: ctl.signal })).rejects.toThrow('stop now');
  });

  it('is reproducible for a seed', async () => {
    const a = await make(model, bg, { seed: 5 }).explain(X);
    const b = await make(model, bg, { seed: 5 }).explain(X);
    expect(a.values).toEqual(b.values);
  });
});

import { describe, expect, it } from 'vitest';
import { ShapArgumentError } from './errors.js';
import { KernelExplainer } from './kernel.js';
import type { Matrix } from './matrix.js';
import { PermutationExplainer } from './permutation.js';

const ok = (X: Matrix) => new Float64Array(X.rows);
const bg = [
  [0, 1, 2],
  [1, 2, 3],
];

describe('bad input gives clear messages', () => {
  it('wrong column count in X', async () => {
    await expect(new KernelExplainer(ok, bg).explain([[1, 2]])).rejects.toThrow(
      'X: expected 3 columns (as in the background), found "2 columns"',
    );
  });
  it('ragged rows and non-numbers', async () => {
    await expect(
      new KernelExplainer(ok, bg).explain([
        [1, 2, 3],
        [1, 2],
      ]),
    ).rejects.toThrow('X[1]: expected 3 values (as in row 0), found "2 values"');
    expect(() => new KernelExplainer(ok, [[1, 'a' as unknown as number]])).toThrow(
      'background[0][1]: expected a number, found "a"',
    );
    expect(() => new KernelExplainer(ok, { data: new Float64Array(5), rows: 2, cols: 3 })).toThrow(
      'background: expected data of length rows × cols = 6, found "length 5"',
    );
  });
  it('empty background', () => {
    expect(() => new KernelExplainer(ok, [])).toThrow(
      'background: expected at least one row and one column, found "0 rows × 0 columns"',
    );
    expect(() => new KernelExplainer(ok, undefined as unknown as number[][])).toThrow(
      'background: expected a matrix',
    );
  });
  it('bad nsamples', () => {
    for (const nsamples of [0, 1, 2.5, -3, Number.NaN, 'many']) {
      expect(() => new KernelExplainer(ok, bg, { nsamples: nsamples as number })).toThrow(
        /^nsamples: expected 'auto' or an integer ≥ 2, found/,
      );
    }
  });
  it('bad link, lReg, batchSize, seed, featureNames, weights, groups', () => {
    expect(() => new KernelExplainer(ok, bg, { link: 'probit' as 'logit' })).toThrow(
      'link: expected "identity" or "logit", found "probit"',
    );
    expect(() => new KernelExplainer(ok, bg, { lReg: 'num_features(0)' as 'aic' })).toThrow(
      /^lReg: expected false, 'auto'/,
    );
    expect(() => new KernelExplainer(ok, bg, { batchSize: 0 })).toThrow(
      'batchSize: expected a positive integer, found 0',
    );
    expect(() => new KernelExplainer(ok, bg, { seed: 1.5 })).toThrow('seed: expected an integer, found 1.5');
    expect(() => new KernelExplainer(ok, bg, { featureNames: ['a'] })).toThrow(
      'featureNames: expected 3 strings (one per column), found ["a"]',
    );
    expect(() => new KernelExplainer(ok, bg, { backgroundWeights: [1] })).toThrow(
      'backgroundWeights: expected 2 weights (one per background row), found [1]',
    );
    expect(() => new KernelExplainer(ok, bg, { backgroundWeights: [1, -1] })).toThrow(
      'backgroundWeights[1]: expected a finite number ≥ 0, found -1',
    );
    expect(
      () =>
        new KernelExplainer(ok, bg, {
          groups: [
            [0, 1],
            [1, 2],
          ],
        }),
    ).toThrow('groups[1]: expected columns not already in groups[0], found "column 1"');
    expect(() => new KernelExplainer(ok, bg, { groups: [[0, 1]] })).toThrow(
      'groups: expected every column in exactly one group, found "column 2 in none"',
    );
    expect(() => new KernelExplainer('f' as unknown as typeof ok, bg)).toThrow(
      'model: expected a function (X: Matrix) => outputs, found "f"',
    );
  });
  it('a model returning the wrong number of outputs, non-finite values, or changing its output count', async () => {
    const short = (X: Matrix) => new Float64Array(Math.max(1, X.rows - 1));
    await expect(new KernelExplainer(short, bg).explain([[5, 5, 5]])).rejects.toThrow(
      'model output: expected 2 values (one per input row) or a matrix { data, rows: 2, cols }, found "1 values"',
    );
    const nan = (X: Matrix) => new Float64Array(X.rows).fill(Number.NaN);
    await expect(new PermutationExplainer(nan, bg).explain([[5, 5, 5]])).rejects.toThrow(
      'model output: expected finite numbers, found NaN at row 0, output 0',
    );
    let calls = 0;
    const changing = (X: Matrix) =>
      calls++ === 0 ? new Float64Array(X.rows) : Array.from({ length: X.rows }, () => [0, 1]);
    await expect(new KernelExplainer(changing, bg).explain([[5, 5, 5]])).rejects.toThrow(
      'model output: expected 1 outputs per row (as in earlier calls), found "2"',
    );
    const ragged = (X: Matrix) => Array.from({ length: X.rows }, (_, i) => (i ? [1] : [1, 2]));
    await expect(new KernelExplainer(ragged, bg).explain([[5, 5, 5]])).rejects.toThrow(
      'model output[1]: expected 2 outputs (as in row 0), found [1]',
    );
  });
  it('logit link on outputs outside (0, 1)', async () => {
    const two = (X: Matrix) => new Float64Array(X.rows).fill(2);
    await expect(new KernelExplainer(two, bg, { link: 'logit' }).explain([[5, 5, 5]])).rejects.toThrow(
      'link "logit": expected model outputs (averaged over the background) strictly inside (0, 1), found 2',
    );
  });
  it('errors are ShapArgumentError', () => {
    try {
      new KernelExplainer(ok, bg, { batchSize: -1 });
    } catch (e) {
      expect(e).toBeInstanceOf(ShapArgumentError);
      expect(e).toBeInstanceOf(Error);
    }
    expect.assertions(2);
  });
  it("hands the model Float32Array rows with dtype 'float32'", async () => {
    const seen = new Set<string>();
    const f = (X: Matrix) => {
      seen.add(X.data.constructor.name);
      return new Float64Array(X.rows);
    };
    await new KernelExplainer(f, bg, { dtype: 'float32' }).explain([[5, 5, 5]]);
    expect([...seen]).toEqual(['Float32Array']);
    expect(() => new KernelExplainer(f, bg, { dtype: 'int8' as 'float32' })).toThrow(
      'dtype: expected "float64" or "float32", found "int8"',
    );
  });
});

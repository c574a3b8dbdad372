import { describe, expect, it } from 'vitest';
import { Explanation } from './explanation.js';

describe('Explanation', () => {
  const e = new Explanation({
    values: [
      [
        [1, -1],
        [-3, 3],
      ],
      [
        [2, 0],
        [0.5, 1],
      ],
    ],
    baseValues: [
      [10, 20],
      [10, 20],
    ],
    data: [
      [0.1, 0.2],
      [0.3, 0.4],
    ],
    featureNames: ['age', 'bmi'],
    outputNames: ['no', 'yes'],
  });

  it('exposes output 0 as [row][feature] and other outputs on request', () => {
    expect(e.values).toEqual([
      [1, -3],
      [2, 0.5],
    ]);
    expect(e.baseValues).toEqual([10, 10]);
    expect(e.output('yes').values).toEqual([
      [-1, 3],
      [0, 1],
    ]);
    expect(e.output(1).baseValues).toEqual([20, 20]);
    expect(e.byOutput()).toHaveLength(2);
    expect(e.allValues()[1][1]).toEqual([0.5, 1]);
    expect(e.rows).toBe(2);
    expect(e.features).toBe(2);
    expect(e.outputs).toBe(2);
  });

  it('computes mean |φ|, output values and rows', () => {
    expect(e.meanAbs()).toEqual([1.5, 1.75]);
    expect(e.outputValues()).toEqual([8, 12.5]);
    expect(e.row(1)).toEqual({
      values: [2, 0.5],
      baseValue: 10,
      outputValue: 12.5,
      data: [0.3, 0.4],
      featureNames: ['age', 'bmi'],
    });
    expect(() => e.row(2)).toThrow('row: expected an index in [0, 2), found 2');
    expect(() => e.output('maybe')).toThrow(/output: expected an index in \[0, 2\) or one of \["no","yes"\]/);
  });

  it('accepts single-output values and a shared base value, and round-trips through JSON', () => {
    const s = new Explanation({ values: [[1, 2]], baseValues: 0.5 });
    expect(s.values).toEqual([[1, 2]]);
    expect(s.featureNames).toEqual(['Feature 0', 'Feature 1']);
    expect(s.data[0].every(Number.isNaN)).toBe(true);
    const back = new Explanation(JSON.parse(JSON.stringify(e)));
    expect(back.allValues()).toEqual(e.allValues());
    expect(back.outputNames).toEqual(['no', 'yes']);
  });

  it('rejects inconsistent shapes', () => {
    expect(() => new Explanation({ values: [[1, 2], [3]], baseValues: 0 })).toThrow(
      'values[1]: expected 2 features (as in row 0), found [3]',
    );
    expect(() => new Explanation({ values: [[1, 2]], baseValues: 0, featureNames: ['a'] })).toThrow(
      'featureNames: expected 2 names, found ["a"]',
    );
  });
});

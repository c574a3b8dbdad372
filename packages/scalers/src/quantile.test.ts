import { describe, expect, it } from 'vitest';
import { medianOfSorted, percentileOfSorted, sortedColumn } from './quantile';

const sorted = (values: number[]) => Float64Array.from(values).sort();

describe('sortedColumn', () => {
  it('takes one column of a row-major matrix, drops NaN and sorts', () => {
    const data = Float64Array.of(3, 10, Number.NaN, 20, 1, 30, 2, Number.NaN);
    expect(Array.from(sortedColumn(data, 4, 2, 0))).toEqual([1, 2, 3]);
    expect(Array.from(sortedColumn(data, 4, 2, 1))).toEqual([10, 20, 30]);
  });
});

describe('medianOfSorted', () => {
  it('is the middle value, or the mean of the two middle values', () => {
    expect(medianOfSorted(sorted([5, 1, 3]))).toBe(3);
    expect(medianOfSorted(sorted([4, 1, 3, 2]))).toBe(2.5);
    expect(medianOfSorted(sorted([7]))).toBe(7);
  });

  it('is NaN for a column with no values (numpy warns and gives NaN)', () => {
    expect(medianOfSorted(new Float64Array(0))).toBeNaN();
  });
});

describe('percentileOfSorted (numpy linear method)', () => {
  it('interpolates at (n - 1) * q / 100', () => {
    // numpy.percentile([1, 2, 3, 4], [0, 25, 50, 100]) = [1, 1.75, 2.5, 4]
    const s = sorted([1, 2, 3, 4]);
    expect(percentileOfSorted(s, 0)).toBe(1);
    expect(percentileOfSorted(s, 25)).toBe(1.75);
    expect(percentileOfSorted(s, 50)).toBe(2.5);
    expect(percentileOfSorted(s, 100)).toBe(4);
    expect(percentileOfSorted(sorted([0, 10]), 30)).toBeCloseTo(3, 14);
  });

  it('takes the upper form b - (b - a)(1 - t) from t = 0.5 on, as numpy 1.24 does', () => {
    // np.percentile([0.1, 0.7], 50) == 0.39999999999999997, where 0.1 + 0.6 / 2 rounds to 0.4;
    // np.percentile([0.001, 7.77], 25) == 1.9432499999999997 (lower form below t = 0.5)
    expect(percentileOfSorted(sorted([0.1, 0.7]), 50)).toBe(0.39999999999999997);
    expect(percentileOfSorted(sorted([0.3, 1.1]), 50)).toBe(0.7000000000000001);
    expect(percentileOfSorted(sorted([0.001, 7.77]), 25)).toBe(1.9432499999999997);
  });

  it('gives the only value for one value and NaN for none', () => {
    expect(percentileOfSorted(sorted([42]), 90)).toBe(42);
    expect(percentileOfSorted(new Float64Array(0), 50)).toBeNaN();
  });
});

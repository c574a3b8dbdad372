import { describe, expect, it } from 'vitest';
import { addCounts, emptyMoments, updateMoments } from './moments';
import { randomRows } from './testing';

/** Textbook per-column mean and population variance, skipping NaN: the reference. */
function reference(rows: number[][]) {
  const cols = rows[0].length;
  const mean: number[] = [];
  const variance: number[] = [];
  const count: number[] = [];
  for (let j = 0; j < cols; j++) {
    const values = rows.map((r) => r[j]).filter((v) => !Number.isNaN(v));
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    mean.push(m);
    variance.push(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
    count.push(values.length);
  }
  return { mean, variance, count };
}

function fold(batches: number[][][], withVariance = true) {
  const cols = batches[0][0].length;
  const m = emptyMoments(cols, withVariance);
  for (const b of batches) updateMoments(m, Float64Array.from(b.flat()), b.length, cols);
  return m;
}

function expectRelative(actual: ArrayLike<number>, expected: number[], tol: number) {
  for (let j = 0; j < expected.length; j++) {
    expect(Math.abs(actual[j] - expected[j])).toBeLessThanOrEqual(tol * Math.abs(expected[j]));
  }
}

describe('updateMoments', () => {
  const X = randomRows(60, 3, 11, -20, 30);

  it('gives the textbook mean and population variance in one batch', () => {
    const m = fold([X]);
    const r = reference(X);
    expectRelative(m.mean, r.mean, 1e-14);
    expectRelative(m.variance!, r.variance, 1e-13);
    expect(Array.from(m.count)).toEqual(r.count);
  });

  it('merges batches (Chan et al.) to the same statistics as one batch', () => {
    const m = fold([X.slice(0, 7), X.slice(7, 8), X.slice(8, 45), X.slice(45)]);
    const r = reference(X);
    expectRelative(m.mean, r.mean, 1e-13);
    expectRelative(m.variance!, r.variance, 1e-12);
  });

  it('skips NaN per column, so counts differ by column', () => {
    const Y = X.map((row, i) => row.map((v, j) => ((i + j) % 4 === 0 && j > 0 ? Number.NaN : v)));
    const m = fold([Y.slice(0, 30), Y.slice(30)]);
    const r = reference(Y);
    expect(Array.from(m.count)).toEqual(r.count);
    expect(r.count[0]).not.toBe(r.count[1]);
    expectRelative(m.mean, r.mean, 1e-13);
    expectRelative(m.variance!, r.variance, 1e-12);
  });

  it('keeps a column whose batch has no values as it was (where scikit-learn turns it NaN)', () => {
    const first = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const m = fold([
      first,
      [
        [Number.NaN, 1],
        [Number.NaN, 2],
      ],
    ]);
    expect(m.mean[0]).toBe(3);
    expect(m.variance![0]).toBeCloseTo(8 / 3, 14);
    expect(m.count[0]).toBe(3);
    expect(m.count[1]).toBe(5);
  });

  it('gives NaN mean and variance to a column that never had a value, and recovers when one comes', () => {
    const m = fold([
      [
        [Number.NaN, 1],
        [Number.NaN, 2],
      ],
    ]);
    expect(m.mean[0]).toBeNaN();
    expect(m.variance![0]).toBeNaN();
    updateMoments(m, Float64Array.of(4, 3, 6, 4), 2, 2);
    expect(m.mean[0]).toBe(5);
    expect(m.variance![0]).toBe(1);
  });

  it('keeps only the mean when no variance is wanted', () => {
    const m = fold([X.slice(0, 20), X.slice(20)], false);
    expect(m.variance).toBeNull();
    expectRelative(m.mean, reference(X).mean, 1e-13);
  });
});

describe('addCounts', () => {
  it('counts non-NaN values per column', () => {
    const count = new Float64Array(2);
    addCounts(count, Float64Array.of(1, Number.NaN, Number.NaN, Number.NaN, 3, 4), 3, 2);
    expect(Array.from(count)).toEqual([2, 1]);
  });
});

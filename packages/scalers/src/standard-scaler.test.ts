import { describe, expect, it } from 'vitest';
import { NotFittedError, ScalerArgumentError } from './errors';
import { StandardScaler } from './standard-scaler';
import { column, expectAllClose, randomRows, toMatrix } from './testing';

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));

describe('StandardScaler', () => {
  it("reproduces scikit-learn's documentation example", () => {
    // sklearn docs: data [[0, 0], [0, 0], [1, 1], [1, 1]] -> mean_ [0.5, 0.5]; transform [[2, 2]] -> [[3, 3]]
    const s = new StandardScaler().fit([
      [0, 0],
      [0, 0],
      [1, 1],
      [1, 1],
    ]);
    expect(s.mean).toEqual([0.5, 0.5]);
    expect(s.var).toEqual([0.25, 0.25]);
    expect(s.scale).toEqual([0.5, 0.5]);
    expect(s.nSamplesSeen).toBe(4);
    expect(s.nFeaturesIn).toBe(2);
    expect(s.transform([[2, 2]])).toEqual([[3, 3]]);
  });

  it('gives each column mean 0 and population standard deviation 1', () => {
    const X = randomRows(50, 3, 1, -100, 300);
    const Z = new StandardScaler().fitTransform(X);
    for (let j = 0; j < 3; j++) {
      expect(mean(column(Z, j))).toBeCloseTo(0, 12);
      expect(std(column(Z, j))).toBeCloseTo(1, 12);
      expect(new StandardScaler().fit(X).scale![j]).toBeCloseTo(std(column(X, j)), 10);
    }
  });

  it('leaves a constant or near-constant column unscaled (scale 1)', () => {
    const X = [
      [5, 1e10, 1],
      [5, 1e10 + 1e-6, 2],
      [5, 1e10, 4],
    ];
    const s = new StandardScaler().fit(X);
    expect(s.scale![0]).toBe(1);
    // variance ~8e-13 (one ulp of 1e10 is 1.9e-6) is below the rounding bound (n · mean · eps)² ~ 4.4e-11
    expect(s.var![1]).toBeGreaterThan(0);
    expect(s.scale![1]).toBe(1);
    expect(s.scale![2]).toBeCloseTo(std([1, 2, 4]), 14);
    expect(s.transform([[5, 1e10, 1]])[0][0]).toBe(0);
  });

  it('ignores NaN when fitting, keeps it when transforming, and counts per column', () => {
    const s = new StandardScaler().fit([
      [1, Number.NaN],
      [3, 10],
      [5, 20],
    ]);
    expect(s.mean).toEqual([3, 15]);
    expect(s.nSamplesSeen).toEqual([3, 2]);
    const [row] = s.transform([[Number.NaN, 15]]);
    expect(row[0]).toBeNaN();
    expect(row[1]).toBe(0);
  });

  it('honours withMean and withStd, with null attributes like scikit-learn', () => {
    const X = randomRows(20, 2, 2);
    const noMean = new StandardScaler({ withMean: false }).fit(X);
    expect(noMean.mean).not.toBeNull(); // still computed, as in scikit-learn
    expect(noMean.transform(X)[3][1]).toBeCloseTo(X[3][1] / noMean.scale![1], 14);
    const noStd = new StandardScaler({ withStd: false }).fit(X);
    expect(noStd.var).toBeNull();
    expect(noStd.scale).toBeNull();
    expect(noStd.transform(X)[3][1]).toBe(X[3][1] - noStd.mean![1]);
    const neither = new StandardScaler({ withMean: false, withStd: false }).fit(X);
    expect([neither.mean, neither.var, neither.scale, neither.nSamplesSeen]).toEqual([null, null, null, 20]);
    expect(neither.transform(X)).toEqual(X);
  });

  it('streams: partialFit over batches matches fit on the whole', () => {
    const X = randomRows(40, 3, 3);
    const whole = new StandardScaler().fit(X);
    const streamed = new StandardScaler()
      .partialFit(X.slice(0, 13))
      .partialFit(X.slice(13, 14))
      .partialFit(X.slice(14));
    expect(streamed.nSamplesSeen).toBe(40);
    expectAllClose([streamed.mean!], [whole.mean!], 13);
    expectAllClose([streamed.var!], [whole.var!], 12);
  });

  it('fit() starts over while partialFit() continues', () => {
    const s = new StandardScaler().fit([[1], [3]]);
    s.partialFit([[5]]);
    expect(s.mean).toEqual([3]);
    s.fit([[10], [20]]);
    expect(s.mean).toEqual([15]);
    expect(s.nSamplesSeen).toBe(2);
  });

  it('inverseTransform undoes transform', () => {
    const X = randomRows(10, 4, 4, -1e3, 1e3);
    const s = new StandardScaler().fit(X);
    expectAllClose(s.inverseTransform(s.transform(X)), X, 9);
  });

  it('returns the kind of matrix it is given and never mutates the input by default', () => {
    const X = randomRows(6, 3, 5);
    const s = new StandardScaler().fit(X);
    const expected = s.transform(X);
    const m64 = toMatrix(X);
    const before = Float64Array.from(m64.data);
    const out64 = s.transform(m64 as { data: Float64Array; rows: number; cols: number });
    expect(out64.data).toBeInstanceOf(Float64Array);
    expect(out64).not.toBe(m64);
    expect(m64.data).toEqual(before);
    expect(Array.from(out64.data)).toEqual(expected.flat());

    const m32 = toMatrix(X, 'float32') as { data: Float32Array; rows: number; cols: number };
    const out32 = s.transform(m32);
    expect(out32.data).toBeInstanceOf(Float32Array);
    expect([out32.rows, out32.cols]).toEqual([6, 3]);
    // computed in float64 from the float32 inputs, rounded once on the way out
    const x = m32.data[4];
    expect(out32.data[4]).toBe(Math.fround((x - s.mean![1]) / s.scale![1]));
  });

  it('with copy: false transforms a Float64 matrix in place and returns it', () => {
    const X = randomRows(5, 2, 6);
    const s = new StandardScaler({ copy: false }).fit(X);
    const m = toMatrix(X);
    const out = s.transform(m);
    expect(out).toBe(m);
    expect(Array.from(m.data)).toEqual(new StandardScaler().fit(X).transform(X).flat());
    // a number[][] or Float32 input is still copied
    expect(s.transform(X)).not.toBe(X);
    const m32 = toMatrix(X, 'float32');
    expect(s.transform(m32)).not.toBe(m32);
  });

  it('leaves an in-place input untouched when it holds ±Infinity', () => {
    const s = new StandardScaler({ copy: false }).fit([[1], [2]]);
    const m = { data: Float64Array.of(1, 2, Infinity), rows: 3, cols: 1 };
    expect(() => s.transform(m)).toThrow('transform: X.data[2] (row 2, column 0)');
    expect(Array.from(m.data)).toEqual([1, 2, Infinity]);
  });

  it('explains misuse', () => {
    const fresh = new StandardScaler();
    expect(() => fresh.transform([[1]])).toThrow(NotFittedError);
    expect(() => fresh.transform([[1]])).toThrow(
      'StandardScaler: not fitted; call fit() or partialFit() first',
    );
    expect(() => fresh.mean).toThrow('StandardScaler: not fitted');
    const s = new StandardScaler().fit([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(() => s.transform([[1, 2, 3, 4]])).toThrow(
      'transform: X: expected 3 columns (as in fit), found 4',
    );
    expect(() => s.inverseTransform([[1, 2]])).toThrow(
      'inverseTransform: X: expected 3 columns (as in fit), found 2',
    );
    expect(() => s.partialFit([[1, 2]])).toThrow(
      'partialFit: X: expected 3 columns (as in the data fitted so far), found 2',
    );
    expect(() => s.fit([[1, 2], [3]])).toThrow('fit: X[1]: expected 2 values (as in X[0]), found 1');
    expect(() =>
      s.transform([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8],
      ]),
    ).toThrow('transform: X[2]: expected 3 values (as in X[0]), found 2');
    expect(() =>
      s.inverseTransform([
        [1, 2, 3],
        [4, '5', 6],
      ] as never),
    ).toThrow(
      'inverseTransform: X[1][1]: expected a number (NaN for a missing value, not ±Infinity), found "5"',
    );
    expect(() => s.transform([[1, 2, -Infinity]])).toThrow('transform: X[0][2]:');
    expect(() => s.fit([])).toThrow('fit: X: expected at least 1 row, found 0 rows');
    expect(s.mean).toEqual([2.5, 3.5, 4.5]); // failed calls changed nothing
    expect(() => new StandardScaler({ withMean: 'yes' } as never)).toThrow(
      'StandardScaler: withMean: expected a boolean, found "yes"',
    );
    expect(() => new StandardScaler({ with_mean: false } as never)).toThrow(
      'StandardScaler: options: expected only withMean, withStd, copy, found unknown option "with_mean" (did you mean "withMean"?)',
    );
    expect(() => new StandardScaler(5 as never)).toThrow(ScalerArgumentError);
  });

  it('round-trips through JSON exactly, NaN included', () => {
    const X = [
      [1, Number.NaN, 0.1],
      [2, Number.NaN, 0.7],
      [4, Number.NaN, -0.3],
    ];
    for (const options of [
      {},
      { withMean: false },
      { withStd: false },
      { withMean: false, withStd: false },
    ]) {
      const s = new StandardScaler(options).fit(X);
      const text = JSON.stringify(s);
      expect(text).not.toContain('null,null'); // NaN is written as "NaN", not null
      const back = StandardScaler.fromJSON(JSON.parse(text));
      expect(back.toJSON()).toEqual(s.toJSON());
      expect(back.transform(X)).toEqual(s.transform(X));
      expect(back.nSamplesSeen).toEqual(s.nSamplesSeen);
      back.partialFit([[3, 1, 0]]);
      expect(back.nSamplesSeen).toEqual([4, 1, 4]);
    }
    expect(StandardScaler.fromJSON(new StandardScaler({ withStd: false }).toJSON()).fitted).toBe(false);
  });

  it('fromJSON names what is wrong', () => {
    const json = new StandardScaler().fit([[1, 2]]).toJSON();
    expect(() => StandardScaler.fromJSON({ ...json, type: 'MinMaxScaler' })).toThrow(
      'StandardScaler.fromJSON: json.type: expected "StandardScaler", found "MinMaxScaler"',
    );
    expect(() => StandardScaler.fromJSON({ ...json, state: { ...json.state, mean: [1] } })).toThrow(
      'StandardScaler.fromJSON: json.state.mean: expected an array of 2 numbers, found [1]',
    );
    expect(() => StandardScaler.fromJSON({ ...json, state: { ...json.state, nSamplesSeen: -1 } })).toThrow(
      'json.state.nSamplesSeen: expected a non-negative integer, found -1',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ScalerArgumentError } from './errors';
import { MinMaxScaler } from './min-max-scaler';
import { column, expectAllClose, randomRows, toMatrix } from './testing';

describe('MinMaxScaler', () => {
  it("reproduces scikit-learn's documentation example", () => {
    // sklearn docs: [[-1, 2], [-0.5, 6], [0, 10], [1, 18]] -> data_max_ [1, 18];
    // transform -> [[0, 0], [0.25, 0.25], [0.5, 0.5], [1, 1]]; transform [[2, 2]] -> [[1.5, 0]]
    const X = [
      [-1, 2],
      [-0.5, 6],
      [0, 10],
      [1, 18],
    ];
    const s = new MinMaxScaler().fit(X);
    expect(s.dataMax).toEqual([1, 18]);
    expect(s.dataMin).toEqual([-1, 2]);
    expect(s.dataRange).toEqual([2, 16]);
    expect(s.nSamplesSeen).toBe(4);
    expect(s.transform(X)).toEqual([
      [0, 0],
      [0.25, 0.25],
      [0.5, 0.5],
      [1, 1],
    ]);
    expect(s.transform([[2, 2]])).toEqual([[1.5, 0]]);
  });

  it('maps the fitted range onto featureRange', () => {
    const X = randomRows(30, 3, 7, -50, 80);
    const s = new MinMaxScaler({ featureRange: [-3, 5] }).fit(X);
    const Y = s.transform(X);
    for (let j = 0; j < 3; j++) {
      const c = column(Y, j);
      expect(Math.min(...c)).toBeCloseTo(-3, 12);
      expect(Math.max(...c)).toBeCloseTo(5, 12);
      // x' = (x - min) / (max - min) * (hi - lo) + lo, the closed form
      const [lo, hi] = [Math.min(...column(X, j)), Math.max(...column(X, j))];
      expect(Y[4][j]).toBeCloseTo(((X[4][j] - lo) / (hi - lo)) * 8 - 3, 12);
    }
  });

  it('clips values beyond the fitted range only when asked', () => {
    const fit = [[0], [10]];
    expect(
      new MinMaxScaler()
        .fit(fit)
        .transform([[-5], [15], [Number.NaN]])
        .flat(),
    ).toEqual([-0.5, 1.5, Number.NaN]);
    expect(
      new MinMaxScaler({ clip: true })
        .fit(fit)
        .transform([[-5], [15], [Number.NaN]])
        .flat(),
    ).toEqual([0, 1, Number.NaN]);
    const clipped = new MinMaxScaler({ clip: true }).fit(fit).transform(toMatrix([[-5], [15], [Number.NaN]]));
    expect(Array.from(clipped.data)).toEqual([0, 1, Number.NaN]);
  });

  it('gives a constant column scale (hi - lo), mapping it to lo', () => {
    const s = new MinMaxScaler({ featureRange: [2, 4] }).fit([
      [7, 1],
      [7, 2],
    ]);
    expect(s.dataRange[0]).toBe(0);
    expect(s.scale[0]).toBe(2);
    expect(s.transform([[7, 1]])).toEqual([[2, 2]]);
  });

  it('ignores NaN when fitting, per column', () => {
    const s = new MinMaxScaler().fit([
      [Number.NaN, 1],
      [3, Number.NaN],
      [5, 3],
    ]);
    expect(s.dataMin).toEqual([3, 1]);
    expect(s.dataMax).toEqual([5, 3]);
    expect(s.nSamplesSeen).toBe(3);
  });

  it('streams: partialFit widens the running extremes, also past an all-NaN batch', () => {
    const X = randomRows(25, 2, 8);
    const streamed = new MinMaxScaler().partialFit(X.slice(0, 10)).partialFit([[Number.NaN, Number.NaN]]);
    streamed.partialFit(X.slice(10));
    const whole = new MinMaxScaler().fit(X);
    expect(streamed.dataMin).toEqual(whole.dataMin);
    expect(streamed.dataMax).toEqual(whole.dataMax);
    expect(streamed.nSamplesSeen).toBe(26);
  });

  it('inverseTransform undoes transform, also on Float32 matrices', () => {
    const X = randomRows(8, 3, 9);
    const s = new MinMaxScaler({ featureRange: [-1, 1] }).fit(X);
    expectAllClose(s.inverseTransform(s.transform(X)), X, 12);
    const m = toMatrix(X, 'float32') as { data: Float32Array; rows: number; cols: number };
    const back = s.inverseTransform(s.transform(m));
    expect(back.data).toBeInstanceOf(Float32Array);
    for (let k = 0; k < m.data.length; k++) expect(back.data[k]).toBeCloseTo(m.data[k], 5);
  });

  it('rejects an empty or reversed featureRange and other bad options', () => {
    expect(() => new MinMaxScaler({ featureRange: [1, 0] })).toThrow(
      'MinMaxScaler: featureRange: expected [min, max] with min < max, found [1, 0]',
    );
    expect(() => new MinMaxScaler({ featureRange: [1, 1] })).toThrow(ScalerArgumentError);
    expect(() => new MinMaxScaler({ featureRange: [0, Infinity] })).toThrow(
      'MinMaxScaler: featureRange: expected a pair [low, high] of finite numbers, found [0, Infinity]',
    );
    expect(() => new MinMaxScaler({ clip: 1 } as never)).toThrow(
      'MinMaxScaler: clip: expected a boolean, found 1',
    );
    expect(() => new MinMaxScaler().transform([[1]])).toThrow(
      'MinMaxScaler: not fitted; call fit() or partialFit() first',
    );
  });

  it('round-trips through JSON exactly', () => {
    const X = [
      [0.1, Number.NaN, 5],
      [0.7, Number.NaN, 5],
    ];
    const s = new MinMaxScaler({ featureRange: [-0.5, 2], clip: true }).fit(X);
    const back = MinMaxScaler.fromJSON(JSON.stringify(s));
    expect(back.toJSON()).toEqual(s.toJSON());
    expect(back.featureRange).toEqual([-0.5, 2]);
    expect(back.clip).toBe(true);
    expect(back.transform([[0.3, 1, 7]])).toEqual(s.transform([[0.3, 1, 7]]));
    expect(() => MinMaxScaler.fromJSON({ ...s.toJSON(), options: { featureRange: [3, 2] } })).toThrow(
      'featureRange: expected [min, max] with min < max',
    );
  });
});

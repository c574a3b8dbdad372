import { describe, expect, it } from 'vitest';
import { RobustScaler } from './robust-scaler';
import { toMatrix } from './testing';

describe('RobustScaler', () => {
  it("reproduces scikit-learn's documentation example", () => {
    // sklearn docs: X = [[1, -2, 2], [-2, 1, 3], [4, 1, -2]] ->
    // transform [[0, -2, 0], [-1, 0, 0.4], [1, 0, -1.6]]
    const X = [
      [1, -2, 2],
      [-2, 1, 3],
      [4, 1, -2],
    ];
    const s = new RobustScaler().fit(X);
    expect(s.center).toEqual([1, 1, 2]);
    expect(s.scale).toEqual([3, 1.5, 2.5]);
    expect(s.transform(X)).toEqual([
      [0, -2, 0],
      [-1, 0, 0.4],
      [1, 0, -1.6],
    ]);
  });

  it('uses the median and the interquartile range with linear interpolation, ignoring NaN', () => {
    const s = new RobustScaler().fit([[1], [2], [Number.NaN], [3], [4], [100]]);
    // values 1, 2, 3, 4, 100: median 3; q25 at index 1 -> 2, q75 at index 3 -> 4
    expect(s.center).toEqual([3]);
    expect(s.scale).toEqual([2]);
    const wide = new RobustScaler({ quantileRange: [10, 90] }).fit([[1], [2], [3], [4], [100]]);
    // index 0.4 -> 1.4, index 3.6 -> 4 + 0.6 * 96 = 61.6
    expect(wide.scale![0]).toBeCloseTo(61.6 - 1.4, 12);
  });

  it('divides by the normal distribution’s quantile range with unitVariance', () => {
    const X = [[1], [2], [3], [4], [5]];
    const plain = new RobustScaler().fit(X).scale![0];
    const unit = new RobustScaler({ unitVariance: true }).fit(X).scale![0];
    // Φ⁻¹(0.75) - Φ⁻¹(0.25) = 2 × 0.6744897501960817
    expect(plain / unit).toBeCloseTo(1.3489795003921634, 14);
  });

  it('gives a zero range scale 1 and honours withCentering / withScaling', () => {
    expect(new RobustScaler().fit([[4], [4], [4]]).scale).toEqual([1]);
    const noCenter = new RobustScaler({ withCentering: false }).fit([[1], [3], [5]]);
    expect(noCenter.center).toBeNull();
    expect(noCenter.transform([[4]])).toEqual([[2]]);
    const noScale = new RobustScaler({ withScaling: false }).fit([[1], [3], [5]]);
    expect(noScale.scale).toBeNull();
    expect(noScale.transform([[4]])).toEqual([[1]]);
    expect(noScale.inverseTransform([[1]])).toEqual([[4]]);
  });

  it('gives NaN statistics to a column with no values, as scikit-learn does', () => {
    const s = new RobustScaler().fit([
      [Number.NaN, 1],
      [Number.NaN, 2],
    ]);
    expect(s.center![0]).toBeNaN();
    expect(s.scale![0]).toBeNaN();
    expect(s.transform([[5, 1.5]])[0][0]).toBeNaN();
  });

  it('checks quantileRange like scikit-learn (0 <= qMin <= qMax <= 100)', () => {
    expect(() => new RobustScaler({ quantileRange: [75, 25] })).toThrow(
      'RobustScaler: quantileRange: expected [qMin, qMax] with 0 <= qMin <= qMax <= 100, found [75, 25]',
    );
    expect(() => new RobustScaler({ quantileRange: [-1, 50] })).toThrow('quantileRange');
    expect(() => new RobustScaler({ quantileRange: [0, 101] })).toThrow('quantileRange');
    expect(new RobustScaler({ quantileRange: [50, 50] }).fit([[1], [2]]).scale).toEqual([1]);
    expect(() => new RobustScaler().transform([[1]])).toThrow('RobustScaler: not fitted; call fit() first');
  });

  it('works on Float64 and Float32 matrices and round-trips through JSON', () => {
    const X = [
      [0.5, 10],
      [1.5, Number.NaN],
      [9, 30],
      [2, 20],
    ];
    const s = new RobustScaler({ quantileRange: [12.5, 87.5], unitVariance: true }).fit(toMatrix(X));
    const expected = s.transform(X);
    const m = s.transform(toMatrix(X) as { data: Float64Array; rows: number; cols: number });
    expect(Array.from(m.data)).toEqual(expected.flat());
    const back = RobustScaler.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(back.toJSON()).toEqual(s.toJSON());
    expect(back.transform(X)).toEqual(expected);
    expect(back.quantileRange).toEqual([12.5, 87.5]);
    const off = new RobustScaler({ withCentering: false }).fit(X);
    expect(RobustScaler.fromJSON(off.toJSON()).center).toBeNull();
    expect(() =>
      RobustScaler.fromJSON({ ...off.toJSON(), state: { nFeaturesIn: 2, center: [1, 2], scale: [1, 1] } }),
    ).toThrow('RobustScaler.fromJSON: json.state.center: expected null (for these options), found [1, 2]');
  });
});

import { describe, expect, it } from 'vitest';
import { moons } from './moons';
import { classCounts, pointsOf, rowKeys } from './testing';

describe('moons', () => {
  it('splits n as scikit-learn does and labels the classes', () => {
    const d = moons({ n: 201 });
    expect(classCounts(d.y)).toEqual(
      new Map([
        [0, 100],
        [1, 101],
      ]),
    );
    expect([d.X.rows, d.X.cols]).toEqual([201, 2]);
    expect(d.task).toBe('binary');
    expect(d.classes).toEqual(['0', '1']);
    expect(d.featureNames).toEqual(['x1', 'x2']);
  });

  it('puts noiseless points on the two half circles at evenly spaced angles', () => {
    const d = moons({ n: 11, noise: 0 });
    const upper = pointsOf(d, 0);
    const lower = pointsOf(d, 1);
    // class 0: unit half circle at the origin, above the axis; angles k * pi / 4
    const upperAngles = upper.map(([x, y]) => Math.atan2(y, x)).sort((a, b) => a - b);
    upperAngles.forEach((t, k) => {
      expect(t).toBeCloseTo((k * Math.PI) / 4, 6);
    });
    for (const [x, y] of upper) expect(Math.hypot(x, y)).toBeCloseTo(1, 6);
    // class 1: unit half circle centred at (1, 0.5), below its centre; angles k * pi / 5
    const lowerAngles = lower.map(([x, y]) => Math.atan2(0.5 - y, 1 - x)).sort((a, b) => a - b);
    lowerAngles.forEach((t, k) => {
      expect(t).toBeCloseTo((k * Math.PI) / 5, 6);
    });
    for (const [x, y] of lower) expect(Math.hypot(x - 1, y - 0.5)).toBeCloseTo(1, 6);
  });

  it('adds noise of the requested size around the noiseless points', () => {
    const clean = moons({ n: 2000, noise: 0, shuffle: false });
    const noisy = moons({ n: 2000, noise: 0.1, shuffle: false });
    let sq = 0;
    for (let i = 0; i < clean.X.data.length; i++) sq += (noisy.X.data[i] - clean.X.data[i]) ** 2;
    expect(Math.sqrt(sq / clean.X.data.length)).toBeCloseTo(0.1, 2);
    expect(noisy.y).toEqual(clean.y);
  });

  it('shuffles by seed: same seed same rows, shuffle off keeps class order', () => {
    const a = moons({ seed: 4 });
    expect(moons({ seed: 4 })).toEqual(a);
    expect(moons({ seed: 5 }).X.data).not.toEqual(a.X.data);
    expect(rowKeys(moons({ seed: 4, shuffle: false }))).toEqual(rowKeys(a));
    const ordered = moons({ n: 10, shuffle: false });
    expect(Array.from(ordered.y)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(Array.from(a.y.slice(0, 20))).not.toEqual(new Array(20).fill(0));
  });

  it('names bad arguments', () => {
    expect(() => moons({ n: 1 })).toThrow(/n: expected an integer >= 2, found 1/);
    expect(() => moons({ n: 10.5 })).toThrow(/n: expected an integer >= 2, found 10.5/);
    expect(() => moons({ noise: Number.NaN })).toThrow(/noise: expected a finite number >= 0, found NaN/);
    expect(() => moons({ seed: 'a' as unknown as number })).toThrow(
      /seed: expected an integer seed, found "a"/,
    );
  });
});

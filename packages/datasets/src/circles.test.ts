import { describe, expect, it } from 'vitest';
import { circles } from './circles';
import { classCounts, pointsOf } from './testing';

describe('circles', () => {
  it('splits n as scikit-learn does', () => {
    expect(classCounts(circles({ n: 7 }).y)).toEqual(
      new Map([
        [0, 3],
        [1, 4],
      ]),
    );
    expect(circles().X.rows).toBe(200);
  });

  it('puts noiseless points on two circles, angles evenly spaced without the end point', () => {
    const d = circles({ n: 16, noise: 0, factor: 0.3 });
    for (const [c, r] of [
      [0, 1],
      [1, 0.3],
    ]) {
      const pts = pointsOf(d, c);
      expect(pts.length).toBe(8);
      for (const [x, y] of pts) expect(Math.hypot(x, y)).toBeCloseTo(r, 6);
      const angles = pts
        .map(([x, y]) => (Math.atan2(y, x) + 2 * Math.PI) % (2 * Math.PI))
        .sort((a, b) => a - b);
      // 8 angles k * 2 pi / 8 for k = 0..7: 0 is present, 2 pi is not
      angles.forEach((t, k) => {
        expect(Math.min(Math.abs(t - (k * Math.PI) / 4), Math.abs(t - 2 * Math.PI))).toBeLessThan(1e-5);
      });
    }
  });

  it('adds noise of the requested size and is reproducible', () => {
    const clean = circles({ n: 2000, noise: 0, shuffle: false });
    const noisy = circles({ n: 2000, noise: 0.05, shuffle: false, seed: 2 });
    let sq = 0;
    for (let i = 0; i < clean.X.data.length; i++) sq += (noisy.X.data[i] - clean.X.data[i]) ** 2;
    expect(Math.sqrt(sq / clean.X.data.length)).toBeCloseTo(0.05, 2);
    expect(circles({ seed: 3 })).toEqual(circles({ seed: 3 }));
    expect(circles({ seed: 3 }).X.data).not.toEqual(circles({ seed: 4 }).X.data);
  });

  it('names a bad factor', () => {
    expect(() => circles({ factor: 1 })).toThrow(/factor: expected a number in \[0, 1\), found 1/);
    expect(() => circles({ factor: -0.1 })).toThrow(/factor: expected a number in \[0, 1\), found -0.1/);
    expect(() => circles({ n: -3 })).toThrow(/n: expected an integer >= 2, found -3/);
  });
});

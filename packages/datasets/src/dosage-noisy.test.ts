import { describe, expect, it } from 'vitest';
import { dosageCurve, dosageNoisy } from './dosage-noisy';

describe('dosageCurve', () => {
  it('peaks at 1 in the middle and is near 0 at both ends', () => {
    expect(dosageCurve(0.5)).toBe(1);
    expect(dosageCurve(0)).toBeCloseTo(Math.exp(-1 / 0.09), 12);
    expect(dosageCurve(0)).toBeLessThan(1e-4);
    expect(dosageCurve(1)).toBeCloseTo(dosageCurve(0), 12);
    expect(dosageCurve(0.35)).toBeCloseTo(Math.exp(-1), 12);
  });
});

describe('dosageNoisy', () => {
  it('lies exactly on the curve without noise, with dosages in [0, 1)', () => {
    const d = dosageNoisy({ n: 50, noise: 0, seed: 3 });
    expect([d.X.rows, d.X.cols, d.y.length]).toEqual([50, 1, 50]);
    for (let i = 0; i < 50; i++) {
      expect(d.X.data[i]).toBeGreaterThanOrEqual(0);
      expect(d.X.data[i]).toBeLessThan(1);
      expect(d.y[i]).toBeCloseTo(dosageCurve(d.X.data[i]), 6);
    }
  });

  it('adds gaussian noise of the requested size to the same dosages', () => {
    const clean = dosageNoisy({ n: 4000, noise: 0, seed: 1 });
    const noisy = dosageNoisy({ n: 4000, noise: 0.05, seed: 1 });
    expect(noisy.X.data).toEqual(clean.X.data);
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < 4000; i++) {
      const r = noisy.y[i] - clean.y[i];
      sum += r;
      sq += r * r;
    }
    expect(Math.abs(sum / 4000)).toBeLessThan(0.003);
    expect(Math.abs(Math.sqrt(sq / 4000) - 0.05)).toBeLessThan(0.003);
    expect(Math.min(...noisy.y)).toBeLessThan(0);
  });

  it('clips to [0, 1] only when asked', () => {
    const d = dosageNoisy({ n: 500, noise: 0.2, clip: true });
    expect(Math.min(...d.y)).toBe(0);
    expect(Math.max(...d.y)).toBe(1);
  });

  it('is reproducible by seed and validates its options', () => {
    expect(dosageNoisy({ seed: 9 })).toEqual(dosageNoisy({ seed: 9 }));
    expect(dosageNoisy({ seed: 9 }).y).not.toEqual(dosageNoisy({ seed: 10 }).y);
    expect(dosageNoisy().X.rows).toBe(60);
    expect(() => dosageNoisy({ n: 0 })).toThrow(/n: expected a positive integer, found 0/);
    expect(() => dosageNoisy({ noise: -1 })).toThrow(/noise: expected a finite number >= 0, found -1/);
    expect(() => dosageNoisy({ clip: 1 as unknown as boolean })).toThrow(
      /clip: expected true or false, found 1/,
    );
    expect(() => dosageNoisy(60 as never)).toThrow(/options: expected an options object like/);
  });
});

import { Generator } from '@descent/random';
import { describe, expect, it } from 'vitest';
import { sampleBackground } from './background.js';
import { kmeansBackground } from './kmeans.js';
import { sum } from './test-helpers.js';

function blobs(): number[][] {
  const rng = new Generator(81);
  const centres = [
    [0, 0],
    [10, 10],
    [-10, 8],
  ];
  const sizes = [50, 30, 20];
  return centres.flatMap((c, k) =>
    Array.from({ length: sizes[k] }, () => [c[0] + rng.normal() * 0.5, Math.round(c[1] + rng.normal())]),
  );
}

describe('kmeansBackground', () => {
  it('finds clear clusters, weights them by size / n, and snaps every coordinate to a real column value', () => {
    const X = blobs();
    const bg = kmeansBackground(X, 3, { seed: 1 });
    expect(bg.rows).toBe(3);
    expect(bg.cols).toBe(2);
    expect(sum(bg.weights)).toBeCloseTo(1, 14);
    expect(Array.from(bg.weights).sort()).toEqual([0.2, 0.3, 0.5]);
    for (let c = 0; c < 3; c++) {
      for (let j = 0; j < 2; j++) expect(X.some((r) => r[j] === bg.data[c * 2 + j])).toBe(true);
    }
    // The 50-point blob's centre is near (0, 0).
    const big = Array.from(bg.weights).indexOf(0.5);
    expect(Math.abs(bg.data[big * 2])).toBeLessThan(0.5);
  });

  it('snaps to the nearest value of the column (checked against a brute-force search over the column)', () => {
    const X = blobs();
    const raw = kmeansBackground(X, 4, { seed: 2, snap: false });
    const snapped = kmeansBackground(X, 4, { seed: 2 });
    for (let i = 0; i < raw.data.length; i++) {
      const col = X.map((r) => r[i % 2]);
      const best = col.reduce((b, v) => (Math.abs(v - raw.data[i]) < Math.abs(b - raw.data[i]) ? v : b));
      expect(Math.abs(snapped.data[i] - raw.data[i])).toBeCloseTo(Math.abs(best - raw.data[i]), 12);
    }
  });

  it('is reproducible for a seed', () => {
    const X = blobs();
    expect(Array.from(kmeansBackground(X, 5, { seed: 3 }).data)).toEqual(
      Array.from(kmeansBackground(X, 5, { seed: 3 }).data),
    );
  });

  it('rejects a bad k', () => {
    expect(() => kmeansBackground([[1], [2]], 3)).toThrow(
      'k: expected an integer in [1, 2] (the number of rows of X), found 3',
    );
    expect(() => kmeansBackground([[1], [Number.NaN]], 1)).toThrow(
      'X[1][0]: expected a finite number, found NaN',
    );
  });
});

describe('sampleBackground', () => {
  it('draws n distinct rows, seeded', () => {
    const X = Array.from({ length: 20 }, (_, i) => [i, i * 2]);
    const s = sampleBackground(X, 5, { seed: 4 });
    expect(s.rows).toBe(5);
    const firsts = Array.from({ length: 5 }, (_, i) => s.data[i * 2]);
    expect(new Set(firsts).size).toBe(5);
    for (let i = 0; i < 5; i++) expect(s.data[i * 2 + 1]).toBe(2 * s.data[i * 2]);
    expect(Array.from(sampleBackground(X, 5, { seed: 4 }).data)).toEqual(Array.from(s.data));
    expect(sampleBackground(X, 50).rows).toBe(20);
  });
});

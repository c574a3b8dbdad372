import { describe, expect, it } from 'vitest';
import { DatasetArgumentError } from '../errors';
import { bars } from './bars';

/** Sums of each row and of each column of image i. */
function lineSums(images: Float32Array, i: number, size: number) {
  const rows = new Array(size).fill(0);
  const cols = new Array(size).fill(0);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const v = images[i * size * size + r * size + c];
      rows[r] += v;
      cols[c] += v;
    }
  }
  return { rows, cols };
}

describe('bars', () => {
  it('makes n square images, half of each class, with the defaults documented', () => {
    const d = bars();
    expect([d.count, d.channels, d.height, d.width]).toEqual([200, 1, 8, 8]);
    expect(d.images).toBeInstanceOf(Float32Array);
    expect(d.images.length).toBe(200 * 64);
    expect(d.classes).toEqual(['horizontal', 'vertical']);
    expect(d.labels.reduce((s, y) => s + y, 0)).toBe(100);
    const odd = bars({ n: 7, seed: 1 });
    expect(odd.labels.reduce((s, y) => s + y, 0)).toBe(3);
    expect(d.images.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('without noise, a vertical bar fills whole columns and a horizontal one whole rows', () => {
    const size = 12;
    const d = bars({ n: 60, size, noise: 0, seed: 5 });
    const thicknesses = new Set<number>();
    for (let i = 0; i < d.count; i++) {
      const { rows, cols } = lineSums(d.images, i, size);
      const [across, along] = d.labels[i] === 1 ? [rows, cols] : [cols, rows];
      // Every line across the bar crosses it once, so all have the same sum: its thickness.
      const t = across[0];
      expect(across.every((s) => s === t)).toBe(true);
      expect(t >= 1 && t <= 3).toBe(true);
      thicknesses.add(t);
      // Lines along it are either fully lit or dark, and the lit ones are t neighbours.
      const lit = along.map((s, k) => (s === size ? k : -1)).filter((k) => k >= 0);
      expect(along.every((s) => s === 0 || s === size)).toBe(true);
      expect(lit.length).toBe(t);
      expect(lit[t - 1] - lit[0]).toBe(t - 1);
    }
    expect(thicknesses.size).toBeGreaterThan(1);
  });

  it('is seeded', () => {
    expect(bars({ seed: 3 })).toEqual(bars({ seed: 3 }));
    expect(bars({ seed: 3 }).images).not.toEqual(bars({ seed: 4 }).images);
  });

  it('keeps the classes apart by column versus row variance even with noise', () => {
    const size = 8;
    const d = bars({ n: 100, size, noise: 0.2, seed: 2 });
    const variance = (xs: number[]) => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
    };
    for (let i = 0; i < d.count; i++) {
      const { rows, cols } = lineSums(d.images, i, size);
      expect(variance(cols) > variance(rows)).toBe(d.labels[i] === 1);
    }
  });

  it('rejects bad options', () => {
    expect(() => bars({ n: 0 })).toThrow(/n: expected a positive integer, found 0/);
    expect(() => bars({ size: 1 })).toThrow(/size: expected an integer >= 2, found 1/);
    expect(() => bars({ noise: -1 })).toThrow(/noise/);
    expect(() => bars({ seed: 0.5 })).toThrow(DatasetArgumentError);
  });
});

import { describe, expect, it } from 'vitest';
import { blobs } from './blobs';
import { classCounts } from './testing';

/** Per-class mean and pooled per-coordinate standard deviation around the returned centres. */
function stats(d: ReturnType<typeof blobs>) {
  const { rows, cols } = d.X;
  const k = d.centers.rows;
  const sums = new Float64Array(k * cols);
  const counts = new Float64Array(k);
  let sq = 0;
  for (let i = 0; i < rows; i++) {
    const c = d.y[i];
    counts[c]++;
    for (let j = 0; j < cols; j++) {
      const v = d.X.data[i * cols + j];
      sums[c * cols + j] += v;
      sq += (v - d.centers.data[c * cols + j]) ** 2;
    }
  }
  return { means: sums.map((s, i) => s / counts[Math.floor(i / cols)]), std: Math.sqrt(sq / (rows * cols)) };
}

describe('blobs', () => {
  it('draws seeded centres in the box and points around them with the given std', () => {
    const d = blobs({ n: 3000, centers: 4, features: 3, std: 0.5, seed: 2 });
    expect([d.X.rows, d.X.cols, d.centers.rows, d.centers.cols]).toEqual([3000, 3, 4, 3]);
    for (const v of d.centers.data) {
      expect(v).toBeGreaterThanOrEqual(-10);
      expect(v).toBeLessThan(10);
    }
    const { means, std } = stats(d);
    means.forEach((m, i) => {
      expect(Math.abs(m - d.centers.data[i])).toBeLessThan(0.06);
    });
    expect(Math.abs(std - 0.5)).toBeLessThan(0.02);
    expect(d.featureNames).toEqual(['x1', 'x2', 'x3']);
    expect(d.task).toBe('multiclass');
    expect(blobs({ seed: 2 }).centers).not.toEqual(blobs({ seed: 3 }).centers);
    expect(blobs({ seed: 2 })).toEqual(blobs({ seed: 2 }));
  });

  it('accepts the centres as rows, taking the dimension from them', () => {
    const d = blobs({
      n: 7,
      centers: [
        [0, 0],
        [5, 5],
      ],
      std: 0,
    });
    expect(d.task).toBe('binary');
    expect(classCounts(d.y)).toEqual(
      new Map([
        [0, 4],
        [1, 3],
      ]),
    );
    for (let i = 0; i < 7; i++) {
      expect(d.X.data[2 * i]).toBe(d.y[i] * 5);
      expect(d.X.data[2 * i + 1]).toBe(d.y[i] * 5);
    }
  });

  it('draws centres inside a custom box', () => {
    const d = blobs({ centers: 10, centerBox: [2, 3] });
    for (const v of d.centers.data) {
      expect(v).toBeGreaterThanOrEqual(2);
      expect(v).toBeLessThan(3);
    }
  });

  it('names bad arguments', () => {
    expect(() => blobs({ centers: 1 })).toThrow(/centers: expected an integer >= 2, found 1/);
    expect(() => blobs({ centers: [[0, 0], [1]] })).toThrow(/centers\[1\]: expected 2 coordinates/);
    expect(() =>
      blobs({
        centers: [
          [0, 0],
          [1, 2],
        ],
        features: 3,
      }),
    ).toThrow(/features: expected 2 \(the length of each centre\), found 3/);
    expect(() => blobs({ std: -1 })).toThrow(/std: expected a finite number >= 0, found -1/);
    expect(() => blobs({ centerBox: [1, 1] })).toThrow(
      /centerBox: expected \[low, high\] with low < high, found \[1, 1\]/,
    );
    expect(() => blobs({ n: 2, centers: 3 })).toThrow(/n: expected an integer >= 3, found 2/);
  });
});

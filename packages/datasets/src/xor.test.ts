import { describe, expect, it } from 'vitest';
import { classCounts } from './testing';
import { xor } from './xor';

describe('xor', () => {
  it('labels a point 1 exactly when its coordinates differ in sign', () => {
    const d = xor({ n: 400, noise: 0.1, seed: 1 });
    for (let i = 0; i < d.X.rows; i++) {
      const x = d.X.data[2 * i];
      const y = d.X.data[2 * i + 1];
      // 0.1 noise keeps every point 10 standard deviations from the axes, so the rule holds
      expect(d.y[i]).toBe(Math.sign(x) * Math.sign(y) < 0 ? 1 : 0);
    }
    expect(classCounts(d.y)).toEqual(
      new Map([
        [0, 200],
        [1, 200],
      ]),
    );
    expect(d.task).toBe('binary');
  });

  it('splits n over the four corners and centres each cluster on its corner', () => {
    const d = xor({ n: 4002, noise: 0.3, shuffle: false });
    const sizes = [1001, 1001, 1000, 1000];
    const corners = [
      [-1, -1],
      [-1, 1],
      [1, -1],
      [1, 1],
    ];
    let start = 0;
    sizes.forEach((size, c) => {
      let sx = 0;
      let sy = 0;
      let sq = 0;
      for (let i = start; i < start + size; i++) {
        sx += d.X.data[2 * i];
        sy += d.X.data[2 * i + 1];
        sq += (d.X.data[2 * i] - corners[c][0]) ** 2;
        expect(d.y[i]).toBe(c === 1 || c === 2 ? 1 : 0);
      }
      expect(sx / size).toBeCloseTo(corners[c][0], 1);
      expect(sy / size).toBeCloseTo(corners[c][1], 1);
      expect(Math.abs(Math.sqrt(sq / size) - 0.3)).toBeLessThan(0.03);
      start += size;
    });
  });

  it('is reproducible and names bad arguments', () => {
    expect(xor({ seed: 8 })).toEqual(xor({ seed: 8 }));
    expect(xor({ seed: 8 }).X.data).not.toEqual(xor({ seed: 9 }).X.data);
    expect(() => xor({ n: 3 })).toThrow(/n: expected an integer >= 4, found 3/);
    expect(() => xor({ noise: -0.1 })).toThrow(/noise: expected a finite number >= 0, found -0.1/);
  });
});

import { describe, expect, it } from 'vitest';
import { surface, surfaceAt } from './surfaces';

describe('surface', () => {
  it('samples the square [-1, 1]² and gives the surface height there (noise 0)', () => {
    for (const name of ['plane', 'bumps'] as const) {
      const d = surface(name, { n: 50, seed: 3 });
      expect(d.task).toBe('regression');
      expect(d.X.cols).toBe(2);
      for (let i = 0; i < 50; i++) {
        const [x1, x2] = [d.X.data[2 * i], d.X.data[2 * i + 1]];
        expect(Math.abs(x1)).toBeLessThanOrEqual(1);
        expect(Math.abs(x2)).toBeLessThanOrEqual(1);
        expect(d.y[i]).toBeCloseTo(surfaceAt(name, x1, x2), 5);
      }
    }
  });

  it('has its hill and pit where it says, and the plane is (x1 + x2) / 2', () => {
    expect(surfaceAt('bumps', -0.5, 0.5)).toBeCloseTo(1, 2);
    expect(surfaceAt('bumps', 0.5, -0.5)).toBeCloseTo(-1, 2);
    expect(surfaceAt('plane', 0.4, -1)).toBeCloseTo(-0.3, 10);
  });

  it('is the same for the same seed; noise moves the targets only', () => {
    const a = surface('bumps', { n: 20, seed: 5 });
    expect(surface('bumps', { n: 20, seed: 5 })).toEqual(a);
    const noisy = surface('bumps', { n: 20, seed: 5, noise: 0.1 });
    expect(Array.from(noisy.X.data.slice(0, 2))).toEqual(Array.from(a.X.data.slice(0, 2)));
    expect(Array.from(noisy.y)).not.toEqual(Array.from(a.y));
  });

  it('names a bad argument', () => {
    expect(() => surface('cone' as never)).toThrow(/name/);
    expect(() => surface('plane', { noise: -1 })).toThrow(/noise/);
    expect(() => surface('plane', 3 as never)).toThrow(/options/);
  });
});

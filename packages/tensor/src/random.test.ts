import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, randn, tidy } from './index';

describe('Generator', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = new Generator(42);
    const b = new Generator(42);
    const c = new Generator(43);
    const seqA = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(seqA);
  });

  it('draws uniforms in [0, 1) and normals with mean 0 and variance 1', () => {
    const g = new Generator(7);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const u = g.uniform();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      const z = g.normal();
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.04);
  });

  it('makes tfjs random tensors reproducible through manualSeed', () => {
    manualSeed(3);
    const first = tidy(() => Array.from(randn([4]).dataSync()));
    manualSeed(3);
    const second = tidy(() => Array.from(randn([4]).dataSync()));
    expect(second).toEqual(first);
  });

  it('rejects a seed that is not a finite number', () => {
    expect(() => new Generator(Number.NaN)).toThrow(/seed: expected a finite number, found NaN/);
  });
});

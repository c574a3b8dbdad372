import { describe, expect, it } from 'vitest';
import { mixSeed, Rng } from './rng';

const draw = (rng: Rng, k: number) => Array.from({ length: k }, () => rng.uniform());

describe('Rng', () => {
  it('repeats its sequence for a seed and differs for neighbouring seeds', () => {
    const a = draw(new Rng(5), 8);
    expect(draw(new Rng(5), 8)).toEqual(a);
    expect(draw(new Rng(6), 8)).not.toEqual(a);
    expect(draw(new Rng(), 8)).toEqual(draw(new Rng(0), 8));
    // seeds beyond 32 bits keep their high bits
    expect(draw(new Rng(2 ** 32), 4)).not.toEqual(draw(new Rng(0), 4));
  });

  it('draws uniforms in range with the right mean and variance', () => {
    const rng = new Rng(1);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform(-2, 4);
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      sum += u;
      sq += u * u;
    }
    expect(lo).toBeGreaterThanOrEqual(-2);
    expect(lo).toBeLessThan(-1.99);
    expect(hi).toBeLessThan(4);
    expect(hi).toBeGreaterThan(3.99);
    const mean = sum / n;
    expect(Math.abs(mean - 1)).toBeLessThan(0.05);
    // variance of U(a, b) is (b - a)^2 / 12 = 3
    expect(Math.abs(sq / n - mean * mean - 3)).toBeLessThan(0.1);
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const rng = new Rng(2);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    let within1 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal(3, 2);
      sum += z;
      sq += (z - 3) ** 2;
      if (Math.abs(z - 3) < 2) within1++;
    }
    expect(Math.abs(sum / n - 3)).toBeLessThan(0.06);
    expect(Math.abs(Math.sqrt(sq / n) - 2)).toBeLessThan(0.06);
    // P(|Z| < 1) = 0.6827 for a gaussian
    expect(Math.abs(within1 / n - 0.6827)).toBeLessThan(0.015);
  });

  it('draws integers covering the half-open range evenly', () => {
    const rng = new Rng(3);
    const counts = new Map<number, number>();
    for (let i = 0; i < 6000; i++) {
      const k = rng.int(-2, 4);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(120);
    const one = new Rng(3);
    for (let i = 0; i < 100; i++) expect(one.int(3)).toBeLessThan(3);
    expect(() => one.int(2, 2)).toThrow(/int: expected integer bounds with low < high, found \[2, 2\]/);
  });

  it('shuffles into a permutation, reproducibly, and moves every position', () => {
    const p = new Rng(4).permutation(1000);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(new Rng(4).permutation(1000)).toEqual(p);
    expect(new Rng(5).permutation(1000)).not.toEqual(p);
    // Every element should land in first position about equally often.
    const first = new Array(4).fill(0);
    const rng = new Rng(6);
    for (let i = 0; i < 4000; i++) first[rng.shuffle([0, 1, 2, 3])[0]]++;
    for (const c of first) expect(Math.abs(c - 1000)).toBeLessThan(120);
    expect(new Rng(0).permutation(0)).toEqual(new Int32Array(0));
  });

  it('rejects seeds that are not integers', () => {
    expect(() => new Rng(1.5)).toThrow(/seed: expected an integer seed, found 1.5/);
    expect(() => new Rng(Number.NaN)).toThrow(/seed: expected an integer seed, found NaN/);
  });
});

describe('mixSeed', () => {
  it('is deterministic, order-sensitive and spreads neighbouring inputs', () => {
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2));
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    const seen = new Set<number>();
    for (let e = 0; e < 1000; e++) seen.add(mixSeed(7, e));
    expect(seen.size).toBe(1000);
    expect(() => mixSeed(1, 0.5)).toThrow(/parts\[1\]: expected an integer seed/);
  });
});

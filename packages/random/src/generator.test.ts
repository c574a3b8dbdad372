import { describe, expect, it } from 'vitest';
import { defaultGenerator, Generator, manualSeed, RandomArgumentError, toGenerator } from './index';

const draw = (g: Generator, k: number) => Array.from({ length: k }, () => g.uniform());

describe('Generator', () => {
  it('keeps the stream weight initialisation has always drawn (mulberry32 seeded with the seed itself)', () => {
    // Values printed by @descent/tensor's own Generator before it moved here: every seeded
    // weight init and tfjs op seed in the project depends on them staying.
    const expected: Record<number, number[]> = {
      0: [0.26642920868471265, 0.0003297457005828619, 0.43143961704601397, 1003578857],
      1: [0.6270739405881613, 0.002735721180215478, 1.2157546192705377, 2079575700],
      42: [0.6011037519201636, 0.44829055899754167, -0.9453528099747296, 375409988],
      [-1]: [0.8964226141106337, 0.189478256739676, 1.4889551557314555, 1815131414],
    };
    for (const [seed, values] of Object.entries(expected)) {
      const g = new Generator(Number(seed));
      expect([g.uniform(), g.uniform(), g.normal(), g.nextSeed()]).toEqual(values);
    }
  });

  it('repeats for one seed, differs for others, and keeps the high bits of wide seeds', () => {
    const a = draw(new Generator(5), 8);
    expect(draw(new Generator(5), 8)).toEqual(a);
    expect(draw(new Generator(6), 8)).not.toEqual(a);
    expect(draw(new Generator(), 8)).toEqual(draw(new Generator(0), 8));
    expect(draw(new Generator(2 ** 32), 4)).not.toEqual(draw(new Generator(0), 4));
    expect(draw(new Generator(2 ** 40 + 5), 4)).not.toEqual(draw(new Generator(5), 4));
  });

  it('draws uniforms in range with the right mean and variance', () => {
    const g = new Generator(1);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const u = g.uniform(-2, 4);
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

  it('draws normals with the requested mean, standard deviation and shape', () => {
    const g = new Generator(2);
    const n = 40000;
    let sum = 0;
    let sq = 0;
    let fourth = 0;
    let within1 = 0;
    for (let i = 0; i < n; i++) {
      const z = g.normal(3, 2);
      sum += z;
      sq += (z - 3) ** 2;
      fourth += ((z - 3) / 2) ** 4;
      if (Math.abs(z - 3) < 2) within1++;
    }
    expect(Math.abs(sum / n - 3)).toBeLessThan(0.05);
    expect(Math.abs(Math.sqrt(sq / n) - 2)).toBeLessThan(0.05);
    // a gaussian's kurtosis is 3 and P(|Z| < 1) = 0.6827
    expect(Math.abs(fourth / n - 3)).toBeLessThan(0.15);
    expect(Math.abs(within1 / n - 0.6827)).toBeLessThan(0.012);
  });

  it('draws integers covering the half-open range evenly', () => {
    const g = new Generator(3);
    const counts = new Map<number, number>();
    for (let i = 0; i < 6000; i++) {
      const k = g.int(-2, 4);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(120);
    for (let i = 0; i < 100; i++) expect(g.int(3)).toBeLessThan(3);
    expect(() => g.int(2, 2)).toThrow(/int: expected integer bounds with low < high, found \[2, 2\]/);
  });

  it('shuffles into a permutation, every position equally likely', () => {
    const p = new Generator(4).permutation(1000);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(new Generator(4).permutation(1000)).toEqual(p);
    expect(new Generator(5).permutation(1000)).not.toEqual(p);
    const first = [0, 0, 0, 0];
    const g = new Generator(6);
    for (let i = 0; i < 4000; i++) first[g.shuffle([0, 1, 2, 3])[0]]++;
    for (const c of first) expect(Math.abs(c - 1000)).toBeLessThan(100);
    expect(new Generator(0).permutation(0)).toEqual(new Int32Array(0));
    const out = new Int32Array(5);
    expect(new Generator(4).permutation(5, out).buffer).toBe(out.buffer);
    expect(() => new Generator(0).permutation(-1)).toThrow('n: expected a non-negative integer, found -1');
  });

  it('samples k distinct indices, each index equally likely', () => {
    const g = new Generator(8);
    const hits = new Array(10).fill(0);
    for (let t = 0; t < 5000; t++) {
      const s = g.sample(10, 3);
      expect(new Set(s).size).toBe(3);
      for (const i of s) hits[i]++;
    }
    // each index is in a 3-of-10 sample with probability 0.3
    for (const h of hits) expect(Math.abs(h / 5000 - 0.3)).toBeLessThan(0.03);
    expect(g.sample(4, 4).slice().sort()).toEqual(Int32Array.from([0, 1, 2, 3]));
    expect(() => g.sample(3, 4)).toThrow('k: expected an integer in [0, 3], found 4');
  });

  it('chooses indices in proportion to their weights', () => {
    const g = new Generator(9);
    const cumulative = [1, 1, 4, 10]; // weights 1, 0, 3, 6
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 10000; i++) counts[g.choice(cumulative)]++;
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[0] / 10000 - 0.1)).toBeLessThan(0.015);
    expect(Math.abs(counts[2] / 10000 - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(counts[3] / 10000 - 0.6)).toBeLessThan(0.02);
    expect(() => g.choice([0, 0])).toThrow(
      'cumulative: expected running sums ending in a positive total, found 0',
    );
  });

  it('hands out tfjs seeds as non-negative 31-bit integers', () => {
    const g = new Generator(10);
    for (let i = 0; i < 1000; i++) {
      const s = g.nextSeed();
      expect(Number.isInteger(s) && s >= 0 && s < 2147483647).toBe(true);
    }
  });

  it('rejects a seed that is not a safe integer, naming it', () => {
    expect(() => new Generator(1.5)).toThrow(/seed: expected an integer seed, found 1.5/);
    expect(() => new Generator(Number.NaN)).toThrow(RandomArgumentError);
    expect(() => toGenerator('1' as unknown as number)).toThrow(
      'seed: expected a seed, a Generator or undefined',
    );
  });
});

describe('manualSeed', () => {
  it('replaces the default generator that seedless calls draw from', () => {
    const g = manualSeed(3);
    expect(defaultGenerator()).toBe(g);
    expect(toGenerator(undefined)).toBe(g);
    const first = draw(defaultGenerator(), 4);
    manualSeed(3);
    expect(draw(toGenerator(undefined), 4)).toEqual(first);
    expect(toGenerator(g)).toBe(g);
    expect(draw(toGenerator(3), 4)).toEqual(first);
  });
});

import { describe, expect, it } from 'vitest';
import { numpySum } from './pairwise-sum';
import { seeded } from './testing';

describe('numpySum', () => {
  it('adds ten 0.1s to exactly 1, as numpy does (a running sum gives 0.9999999999999999)', () => {
    const tenths = new Float64Array(10).fill(0.1);
    let running = 0;
    for (const v of tenths) running += v;
    expect(running).toBe(0.9999999999999999);
    expect(numpySum(tenths)).toBe(1);
  });

  it('is exact on integers, across block and buffer boundaries', () => {
    for (const n of [0, 1, 7, 8, 9, 127, 128, 129, 1000, 8192, 8193, 20000]) {
      const values = Float64Array.from({ length: n }, (_, i) => (i % 17) - 8);
      let exact = 0;
      for (const v of values) exact += v;
      expect(numpySum(values)).toBe(exact);
    }
  });

  it('is at least as accurate as a running sum on random data', () => {
    const next = seeded(3);
    // Multiples of 2^-30 below 2^20: each is exact, and so is their sum counted in units of 2^-30.
    const values = Float64Array.from({ length: 5000 }, () => Math.floor(next() * 2 ** 50) / 2 ** 30);
    let units = 0n;
    for (const v of values) units += BigInt(v * 2 ** 30);
    const reference = Number(units) / 2 ** 30;
    let running = 0;
    for (const v of values) running += v;
    expect(Math.abs(numpySum(values) - reference)).toBeLessThanOrEqual(Math.abs(running - reference));
    expect(Math.abs(numpySum(values) - reference) / reference).toBeLessThan(1e-15);
  });
});

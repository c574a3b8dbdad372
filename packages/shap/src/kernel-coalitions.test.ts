import { describe, expect, it } from 'vitest';
import { binom } from './combinatorics.js';
import { kernelCoalitions } from './kernel-coalitions.js';

const sizeOf = (masks: Uint8Array, M: number, i: number) => {
  let s = 0;
  for (let j = 0; j < M; j++) s += masks[i * M + j];
  return s;
};

describe('kernelCoalitions', () => {
  it('enumerates every coalition with the Shapley kernel weight when the budget allows', () => {
    const M = 5;
    const c = kernelCoalitions(M, 1000);
    expect(c.count).toBe(2 ** M - 2);
    expect(c.enumerated).toBe(c.count);
    const keys = new Set<string>();
    let total = 0;
    for (let i = 0; i < c.count; i++) {
      keys.add(c.masks.subarray(i * M, (i + 1) * M).join(''));
      const s = sizeOf(c.masks, M, i);
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(M);
      total += c.weights[i];
      // Shapley kernel (M−1) / (C(M,s) s (M−s)), up to one normalising constant shared by all coalitions.
      const kernel = (M - 1) / (binom(M, s) * s * (M - s));
      expect(c.weights[i] / kernel).toBeCloseTo(c.weights[0] / ((M - 1) / (binom(M, 1) * 1 * (M - 1))), 12);
    }
    expect(keys.size).toBe(c.count);
    expect(total).toBeCloseTo(1, 12);
  });

  it('enumerates small sizes in pairs, then samples complement pairs with no repeats', () => {
    const M = 12;
    const c = kernelCoalitions(M, 300, 3);
    expect(c.count).toBeLessThanOrEqual(300);
    expect(c.fullSizes).toBe(1); // sizes 1 and 11: 24 coalitions fit; sizes 2 and 10 (132) do not at their share
    expect(c.enumerated).toBe(24);
    const keys = new Set<string>();
    for (let i = 0; i < c.count; i++) keys.add(c.masks.subarray(i * M, (i + 1) * M).join(''));
    expect(keys.size).toBe(c.count);
    // Each sampled coalition of a paired size (1..5 of 12) is followed by its complement, with the same weight.
    let pairs = 0;
    for (let i = c.enumerated; i + 1 < c.count; ) {
      if (sizeOf(c.masks, M, i) === 6) {
        i += 1;
        continue;
      }
      for (let j = 0; j < M; j++) expect(c.masks[i * M + j] + c.masks[(i + 1) * M + j]).toBe(1);
      expect(c.weights[i]).toBe(c.weights[i + 1]);
      pairs++;
      i += 2;
    }
    expect(pairs).toBeGreaterThan(50);
    expect(Array.from(c.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const a = kernelCoalitions(10, 100, 1);
    const b = kernelCoalitions(10, 100, 1);
    const d = kernelCoalitions(10, 100, 2);
    expect(Array.from(a.masks)).toEqual(Array.from(b.masks));
    expect(Array.from(a.masks)).not.toEqual(Array.from(d.masks));
  });

  it('merges repeated draws by adding weight', () => {
    // M = 4 has 14 coalitions; sizes 1/3 enumerate at 40 but 30 samples leave size 2 sampled with repeats.
    const c = kernelCoalitions(4, 12, 0);
    const M = 4;
    const keys = new Set<string>();
    for (let i = 0; i < c.count; i++) keys.add(c.masks.subarray(i * M, (i + 1) * M).join(''));
    expect(keys.size).toBe(c.count);
    expect(c.count).toBeLessThanOrEqual(12);
  });
});

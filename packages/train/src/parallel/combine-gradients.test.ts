import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineGradients } from './combine-gradients';

describe('combineGradients', () => {
  it('equals the mean over all rows of per-row gradients, for any split into shards', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.array(fc.nat(20), { minLength: 1, maxLength: 4 }),
        (perRow, cuts) => {
          // Reference: the plain mean of every row's gradient.
          const n = perRow.length;
          const expected = [0, 1, 2].map((j) => perRow.reduce((s, g) => s + g[j], 0) / n);
          const bounds = [...new Set([0, ...cuts.map((c) => c % (n + 1)), n])].sort((a, b) => a - b);
          const parts = bounds.slice(1).map((end, k) => {
            const rows = perRow.slice(bounds[k], end);
            const mean = [0, 1, 2].map((j) => rows.reduce((s, g) => s + g[j], 0) / Math.max(rows.length, 1));
            return { values: rows.length ? Float32Array.from(mean) : undefined, rows: rows.length };
          });
          const got = combineGradients(parts, 3) as Float32Array;
          got.forEach((v, j) => {
            expect(v).toBeCloseTo(expected[j], 4);
          });
        },
      ),
    );
  });

  it('counts a shard without a gradient as zeros and gives undefined when no shard has one', () => {
    const g = Float32Array.from([4, -2]);
    expect(
      Array.from(
        combineGradients(
          [
            { values: g, rows: 1 },
            { values: undefined, rows: 3 },
          ],
          2,
        ) as Float32Array,
      ),
    ).toEqual([1, -0.5]);
    expect(
      combineGradients(
        [
          { values: undefined, rows: 2 },
          { values: undefined, rows: 2 },
        ],
        2,
      ),
    ).toBeUndefined();
    expect(combineGradients([{ values: g, rows: 0 }], 2)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { normals, valuesOn } from '../../test/parity';
import { tf } from '../index';
import { xnnpackSizesMatch } from './pool-forward';

interface Case {
  label: string;
  x: [number, number, number, number];
  filter: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
  rounding?: 'floor' | 'round' | 'ceil';
}

// The first two need the plain loop (XNNPACK would size them wrongly); the rest run on XNNPACK.
const cases: Case[] = [
  {
    label: '2x3 s[2,1] pad 1 ceil (a row of windows wholly in the padding)',
    x: [2, 7, 6, 3],
    filter: [2, 3],
    strides: [2, 1],
    pad: 1,
    rounding: 'ceil',
  },
  { label: '3x3 s2 pad 1 round', x: [1, 8, 8, 2], filter: 3, strides: 2, pad: 1, rounding: 'round' },
  { label: '3x3 s2 pad 0 ceil', x: [2, 8, 8, 2], filter: 3, strides: 2, pad: 0, rounding: 'ceil' },
  { label: '3x3 s2 same', x: [2, 7, 8, 3], filter: 3, strides: 2, pad: 'same' },
  { label: '3x3 s1 same', x: [2, 5, 6, 4], filter: 3, strides: 1, pad: 'same' },
  { label: '2x2 s2 valid', x: [3, 8, 8, 2], filter: 2, strides: 2, pad: 'valid' },
  { label: '3x3 s2 pad 1 floor', x: [1, 8, 8, 2], filter: 3, strides: 2, pad: 1, rounding: 'floor' },
];

const geometry = (c: Case) =>
  tf.backend_util.computePool2DInfo(c.x, c.filter, c.strides, 1, c.pad, c.rounding);

describe('MaxPool and AvgPool forward on wasm', () => {
  it('know which geometries XNNPACK sizes like tfjs (only a numeric pad with ceil/round can differ)', () => {
    expect(cases.map((c) => xnnpackSizesMatch(geometry(c)))).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
  });

  for (const [i, c] of cases.entries()) {
    it(`equal the cpu backend (NaN for an empty average included): ${c.label}`, async () => {
      const xs = normals(c.x, 90 + i).map((v) => v - 3);
      const run = () => {
        const x = tf.tensor4d(xs, c.x);
        return [
          tf.maxPool(x, c.filter, c.strides, c.pad, c.rounding),
          tf.avgPool(x, c.filter, c.strides, c.pad, c.rounding),
        ];
      };
      const [wasmMax, wasmAvg] = await valuesOn('wasm', run);
      const [cpuMax, cpuAvg] = await valuesOn('cpu', run);
      expect(wasmMax).toEqual(cpuMax);
      if (xnnpackSizesMatch(geometry(c))) {
        // XNNPACK sums in its own order: equal to rounding.
        const worst = Math.max(...wasmAvg.map((v, j) => Math.abs(v - cpuAvg[j])));
        expect(worst).toBeLessThan(1e-5);
      } else {
        expect(wasmAvg).toEqual(cpuAvg);
      }
    });
  }

  it('keeps the WASM heap sound through many ceil-mode pools (tfjs 4.22 wrote past its output)', async () => {
    const xs = normals([2, 7, 6, 3], 99);
    const sums = await valuesOn('wasm', () => {
      const x = tf.tensor4d(xs, [2, 7, 6, 3]);
      const out: tf.Tensor[] = [];
      for (let k = 0; k < 20; k++)
        out.push(tf.sum(tf.clipByValue(tf.maxPool(x, [2, 3], [2, 1], 1, 'ceil'), -100, 100)));
      // Allocations after the pools must still work and read what was written.
      out.push(tf.sum(tf.add(tf.ones([4096]), tf.ones([4096]))));
      return out;
    });
    // The last row of windows lies wholly in the padding: -∞ each, clipped to -100.
    const cpu = await valuesOn('cpu', () => [
      tf.sum(tf.clipByValue(tf.maxPool(tf.tensor4d(xs, [2, 7, 6, 3]), [2, 3], [2, 1], 1, 'ceil'), -100, 100)),
    ]);
    for (const s of sums.slice(0, 20)) expect(s[0]).toBeCloseTo(cpu[0][0], 2);
    expect(sums[20][0]).toBe(8192);
  });
});

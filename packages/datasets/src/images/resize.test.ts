import { describe, expect, it } from 'vitest';
import { DatasetArgumentError } from '../errors';
import { type ResizeMethod, resizePlanes } from './resize';
import reference from './resize-reference.json';

const plane = (height: number, width: number, value: (y: number, x: number) => number) => ({
  data: Float32Array.from({ length: height * width }, (_, i) => value(Math.floor(i / width), i % width)),
  channels: 1,
  height,
  width,
});

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 5) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > 10 ** -digits) {
      throw new Error(`index ${i}: expected ${expected[i]}, found ${actual[i]}`);
    }
  }
}

/**
 * ∫₀ˣ s(t) dt for the step function s(t) = floor(t) + 0.5 (pixel i holding the mean of t over
 * its cell): the closed form the area average of [a, b) must equal when divided by b − a.
 */
function stepIntegral(x: number): number {
  const k = Math.floor(x);
  return (k * k) / 2 + (x - k) * (k + 0.5);
}

describe('resizePlanes', () => {
  it('averages 2 × 2 blocks when halving a 4 × 4 image by area', () => {
    const half = resizePlanes(
      plane(4, 4, (y, x) => 4 * y + x),
      2,
      2,
      'area',
    );
    expect(Array.from(half.data)).toEqual([2.5, 4.5, 10.5, 12.5]);
    // 3 → 2 pixels: the middle input is split half and half.
    const row = resizePlanes({ data: Float32Array.of(0, 3, 6), channels: 1, height: 1, width: 3 }, 1, 2);
    expectClose(row.data, [(0 + 1.5) / 1.5, (1.5 + 6) / 1.5], 6);
  });

  it('matches the closed-form area average of a ramp at a fractional ratio, plane by plane', () => {
    // Two planes: pixel (y, x) holds y + 0.5 in one and 10 (x + 0.5) in the other, 7 × 9 → 3 × 4.
    const h = 7;
    const w = 9;
    const ramp = plane(h, w, (y) => y + 0.5);
    const other = plane(h, w, (_, x) => 10 * (x + 0.5));
    const data = new Float32Array(2 * h * w);
    data.set(ramp.data);
    data.set(other.data, h * w);
    const out = resizePlanes({ data, channels: 2, height: h, width: w }, 3, 4, 'area');
    const mean = (from: number, to: number) => (stepIntegral(to) - stepIntegral(from)) / (to - from);
    const expected: number[] = [];
    for (let oy = 0; oy < 3; oy++)
      for (let ox = 0; ox < 4; ox++) expected.push(mean((oy * h) / 3, ((oy + 1) * h) / 3));
    for (let oy = 0; oy < 3; oy++) {
      for (let ox = 0; ox < 4; ox++) expected.push(10 * mean((ox * w) / 4, ((ox + 1) * w) / 4));
    }
    expectClose(out.data, expected, 4);
    // Any area shrink keeps the mean brightness.
    const odd = plane(5, 7, (y, x) => ((7 * y + x) * 7) % 11);
    const avg = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(avg(resizePlanes(odd, 3, 4).data)).toBeCloseTo(avg(odd.data), 5);
  });

  it('reproduces a linear ramp exactly when enlarging bilinearly, clamped at the edges', () => {
    const out = resizePlanes(
      plane(3, 4, (y, x) => 2 * y + 3 * x),
      7,
      10,
      'bilinear',
    );
    const at = (o: number, from: number, to: number) =>
      Math.min(Math.max(((o + 0.5) * from) / to - 0.5, 0), from - 1);
    const expected = Array.from(
      { length: 70 },
      (_, i) => 2 * at(Math.floor(i / 10), 3, 7) + 3 * at(i % 10, 4, 10),
    );
    expectClose(out.data, expected, 5);
  });

  it('agrees with PyTorch (interpolate bilinear and area; scripts/make-resize-reference.py)', () => {
    expect(reference.cases.length).toBe(4);
    for (const c of reference.cases) {
      const out = resizePlanes(
        { data: Float32Array.from(c.data), channels: 1, height: c.height, width: c.width },
        c.size[0],
        c.size[1],
        c.method as ResizeMethod,
      );
      try {
        expectClose(out.data, c.expected, 5);
      } catch (err) {
        throw new Error(`${c.name}: ${(err as Error).message}`);
      }
    }
  });

  it('returns a copy at the same size, and rejects bad sizes and methods', () => {
    const image = plane(2, 3, (y, x) => y + x);
    const same = resizePlanes(image, 2, 3);
    expect(Array.from(same.data)).toEqual(Array.from(image.data));
    expect(same.data).not.toBe(image.data);
    expect(() => resizePlanes(image, 0, 3)).toThrow('height: expected a positive integer (pixels), found 0');
    expect(() => resizePlanes(image, 2, 2.5)).toThrow(DatasetArgumentError);
    expect(() => resizePlanes(image, 2, 2, 'cubic' as ResizeMethod)).toThrow(
      "method: expected one of 'auto', 'area', 'bilinear', found \"cubic\"",
    );
    expect(() => resizePlanes({ ...image, channels: 3 }, 2, 2)).toThrow(/image\.data: expected length 18/);
  });
});

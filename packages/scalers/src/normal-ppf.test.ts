import { describe, expect, it } from 'vitest';
import { normalPpf } from './normal-ppf';

/** Φ(x) by composite Simpson's rule on the density: an independent reference for the inverse. */
function normalCdf(x: number): number {
  const steps = 20000;
  const h = x / steps;
  const density = (t: number) => Math.exp((-t * t) / 2) / Math.sqrt(2 * Math.PI);
  let sum = density(0) + density(x);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * density(i * h);
  return 0.5 + (sum * h) / 3;
}

describe('normalPpf', () => {
  it('gives the textbook quantiles', () => {
    expect(normalPpf(0.5)).toBe(0);
    expect(normalPpf(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalPpf(0.75)).toBeCloseTo(0.6744897501960817, 15);
    expect(normalPpf(0.95)).toBeCloseTo(1.6448536269514722, 14);
  });

  it('inverts the normal CDF across the centre and both tail approximations', () => {
    for (const p of [0.01, 0.05, 0.1, 0.2, 0.3, 0.45, 0.55, 0.7, 0.8, 0.9, 0.99, 0.999]) {
      expect(normalCdf(normalPpf(p))).toBeCloseTo(p, 12);
    }
  });

  it('reaches far into the tails (1 - Φ(x) ~ φ(x)/x there)', () => {
    // Mills' ratio: p = φ(x)/x (1 - 1/x² + 3/x⁴ - 15/x⁶ + 105/x⁸), within ~1e-8 relative at x > 14.
    for (const p of [1e-50, 1e-200, 1e-300]) {
      const x = -normalPpf(p);
      const series = 1 - 1 / x ** 2 + 3 / x ** 4 - 15 / x ** 6 + 105 / x ** 8;
      const tail = (Math.exp((-x * x) / 2) / (x * Math.sqrt(2 * Math.PI))) * series;
      expect(Math.abs(tail - p) / p).toBeLessThan(1e-7);
    }
  });

  it('is odd about 1/2 and monotone', () => {
    for (const p of [0.001, 0.1, 0.25, 0.4]) expect(normalPpf(1 - p)).toBeCloseTo(-normalPpf(p), 13);
    let last = -Infinity;
    for (let p = 0.0005; p < 1; p += 0.001) {
      const x = normalPpf(p);
      expect(x).toBeGreaterThan(last);
      last = x;
    }
  });

  it('is ±Infinity at 0 and 1 and NaN outside [0, 1]', () => {
    expect(normalPpf(0)).toBe(-Infinity);
    expect(normalPpf(1)).toBe(Infinity);
    expect(normalPpf(-0.1)).toBeNaN();
    expect(normalPpf(1.5)).toBeNaN();
    expect(normalPpf(Number.NaN)).toBeNaN();
  });
});

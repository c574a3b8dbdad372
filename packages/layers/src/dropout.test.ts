import { Generator, leakGuard, manualSeed, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { checkLayerGradients, worst } from '../test/grad-helpers';
import { Dropout } from './dropout';

const n = 20000;

describe('Dropout', () => {
  it('is the identity in eval mode', () => {
    const layer = new Dropout({ p: 0.5, seed: 1 }).eval();
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 3);
    const y = layer.forward(x);
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, y]);
  });

  it('in training zeroes about p of the entries and scales the rest by 1/(1-p)', () => {
    for (const p of [0.2, 0.5, 0.8]) {
      const layer = new Dropout({ p, seed: 7 });
      expect(layer.training).toBe(true);
      const x = tf.fill([n], 3);
      const y = Array.from(layer.forward(x).dataSync());
      const zeros = y.filter((v) => v === 0).length;
      // Binomial(n, p): 5 standard deviations.
      expect(Math.abs(zeros / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
      for (const v of y) if (v !== 0) expect(v).toBeCloseTo(3 / (1 - p), 5);
      x.dispose();
    }
  });

  it('draws the same masks for the same seed, and a new mask at each forward', () => {
    const x = tf.ones([1000]);
    const a = new Dropout({ p: 0.5, seed: 11 });
    const b = new Dropout({ p: 0.5, seed: 11 });
    const a1 = Array.from(a.forward(x).dataSync());
    const a2 = Array.from(a.forward(x).dataSync());
    expect(Array.from(b.forward(x).dataSync())).toEqual(a1);
    expect(Array.from(b.forward(x).dataSync())).toEqual(a2);
    expect(a2).not.toEqual(a1);
    const c = new Dropout({ p: 0.5, seed: new Generator(11) });
    expect(Array.from(c.forward(x).dataSync())).toEqual(a1);
    // Unseeded layers follow the global generator, even one reseeded after construction.
    const d = new Dropout({ p: 0.5 });
    manualSeed(5);
    const d1 = Array.from(d.forward(x).dataSync());
    manualSeed(5);
    expect(Array.from(d.forward(x).dataSync())).toEqual(d1);
    x.dispose();
  });

  it('handles p = 0 and p = 1 and rejects p outside [0, 1]', () => {
    const x = tf.ones([3]);
    expect(Array.from(new Dropout({ p: 0 }).forward(x).dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(new Dropout({ p: 1 }).forward(x).dataSync())).toEqual([0, 0, 0]);
    expect(() => new Dropout({ p: 1.5 })).toThrow('Dropout: p: expected a number in [0, 1], found 1.5');
    expect(() => new Dropout({ seed: 'a' as unknown as number })).toThrow('Dropout: seed');
    x.dispose();
  });

  it('passes a gradient check with a fixed mask (mask * scale)', () => {
    const x = tf.tensor2d([0.3, -1.2, 0.8, 1.5, 0.1, -0.4, 2, -2], [2, 4]);
    const layer = new Dropout({ p: 0.4 });
    // A layer seeded afresh at each call draws the same mask every time, so finite differences hold.
    const report = checkLayerGradients(layer, x, {}, (input) =>
      new Dropout({ p: 0.4, seed: 3 }).forward(input),
    );
    expect(report.input.ok, worst('input', report.input)).toBe(true);
    const g = report.input.analytic[0];
    expect(g.some((v) => v === 0)).toBe(true);
    expect(g.some((v) => v !== 0)).toBe(true);
    x.dispose();
  });

  it('leaks nothing in training or eval mode', () => {
    const layer = new Dropout({ p: 0.3, seed: 2 });
    const x = tf.ones([8, 8]);
    const guard = leakGuard();
    tf.tidy(() => layer.forward(x)).dispose();
    layer.eval();
    tf.tidy(() => layer.forward(x));
    guard.check('Dropout.forward');
    expect(layer.toJSON()).toEqual({ type: 'Dropout', p: 0.3, seed: 2 });
    x.dispose();
  });
});

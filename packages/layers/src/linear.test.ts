import { Generator, leakGuard, manualSeed, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { checkLayerGradients, worst } from '../test/grad-helpers';
import { constant, ones } from './init';
import { Linear } from './linear';

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('Linear', () => {
  it('stores the weight as [out, in] and computes x Wᵀ + b (hand-computed)', () => {
    const layer = new Linear(2, 3);
    expect(layer.weight.shape).toEqual([3, 2]);
    expect(layer.bias?.shape).toEqual([3]);
    layer.loadStateDict({
      weight: tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      bias: tf.tensor1d([0.5, -1, 2]),
    });
    const y = layer.forward(
      tf.tensor2d([
        [1, -1],
        [2, 0.5],
      ]),
    );
    // Row 1: [1-2+0.5, 3-4-1, 5-6+2]; row 2: [2+1+0.5, 6+2-1, 10+3+2].
    expect(y.shape).toEqual([2, 3]);
    expect(values(y)).toEqual([-0.5, -2, 1, 3.5, 7, 15]);
    layer.dispose();
  });

  it('without bias has only a weight and computes x Wᵀ', () => {
    const layer = new Linear(2, 1, { bias: false, init: constant(2) });
    expect(layer.bias).toBeNull();
    expect(layer.namedParameters().map(([n]) => n)).toEqual(['weight']);
    expect(values(layer.forward(tf.tensor2d([[1, 3]])))).toEqual([8]);
    expect(layer.toJSON()).toEqual({ type: 'Linear', inFeatures: 2, outFeatures: 1, bias: false });
    layer.dispose();
  });

  it('names its parameters weight and bias, in that order', () => {
    const layer = new Linear(4, 8);
    expect(layer.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight', [8, 4]],
      ['bias', [8]],
    ]);
    expect(layer.numParameters()).toBe(40);
    layer.dispose();
  });

  it('checks the input shape and dtype', () => {
    const layer = new Linear(4, 8);
    const bad = tf.zeros([3, 5]);
    expect(() => layer.forward(bad)).toThrow('Linear(4, 8): input: expected shape [N, 4], found [3, 5]');
    const flat = tf.zeros([4]);
    expect(() => layer.forward(flat)).toThrow('expected shape [N, 4], found [4]');
    const ints = tf.zeros([2, 4], 'int32');
    expect(() => layer.forward(ints)).toThrow(
      'expected a float32 tensor, found a int32 tensor of shape [2, 4]',
    );
    tf.dispose([bad, flat, ints]);
    layer.dispose();
  });

  it('validates its options', () => {
    expect(() => new Linear(0, 2)).toThrow('Linear: inFeatures: expected a positive integer, found 0');
    expect(() => new Linear(2, 1.5)).toThrow('Linear: outFeatures: expected a positive integer, found 1.5');
    expect(() => new Linear(2, 2, { init: (s) => ones([s[0]]) })).toThrow(
      'Linear: weight initialiser: expected a new tensor of shape [2, 2]',
    );
  });

  it("uses PyTorch's default init: weight and bias in U(-1/√in, 1/√in)", () => {
    const inFeatures = 400;
    const layer = new Linear(inFeatures, 300, { seed: 3 });
    const bound = 1 / Math.sqrt(inFeatures);
    for (const [name, p] of layer.namedParameters()) {
      const v = values(p.value);
      expect(
        v.reduce((a, b) => Math.max(a, Math.abs(b)), 0),
        name,
      ).toBeLessThanOrEqual(bound);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
      // U(-b, b) has variance b²/3; the bias has only 300 draws, hence the looser bound.
      const tol = name === 'weight' ? 0.03 : 0.25;
      expect(Math.abs(variance / ((bound * bound) / 3) - 1), name).toBeLessThan(tol);
    }
    // The weight spreads to the edges of its range.
    expect(values(layer.weight.value).reduce((a, b) => Math.max(a, b), 0)).toBeGreaterThan(0.99 * bound);
    layer.dispose();
  });

  it('gives identical weights for the same seed, and different ones for another', () => {
    const a = new Linear(3, 4, { seed: 5 });
    const b = new Linear(3, 4, { seed: 5 });
    const c = new Linear(3, 4, { seed: 6 });
    expect(values(a.weight.value)).toEqual(values(b.weight.value));
    expect(values(a.bias!.value)).toEqual(values(b.bias!.value));
    expect(values(a.weight.value)).not.toEqual(values(c.weight.value));
    // A shared Generator advances: two layers drawn from it differ.
    const g = new Generator(9);
    const d = new Linear(3, 4, { seed: g });
    const e = new Linear(3, 4, { seed: g });
    expect(values(d.weight.value)).not.toEqual(values(e.weight.value));
    for (const m of [a, b, c, d, e]) m.dispose();
  });

  it('draws from the global generator without a seed, so manualSeed makes it reproducible', () => {
    manualSeed(42);
    const a = new Linear(3, 4);
    manualSeed(42);
    const b = new Linear(3, 4);
    const c = new Linear(3, 4);
    expect(values(a.weight.value)).toEqual(values(b.weight.value));
    expect(values(a.weight.value)).not.toEqual(values(c.weight.value));
    for (const m of [a, b, c]) m.dispose();
  });

  it('passes a gradient check with respect to the input, the weight and the bias', () => {
    const layer = new Linear(3, 2, { seed: 1 });
    const x = tf.tensor2d([
      [0.3, -1.2, 0.8],
      [1.5, 0.1, -0.4],
    ]);
    const report = checkLayerGradients(layer, x);
    expect(report.input.ok, worst('input', report.input)).toBe(true);
    expect(report.parameters.map(([n]) => n)).toEqual(['weight', 'bias']);
    for (const [name, r] of report.parameters) {
      expect(r.ok, worst(name, r)).toBe(true);
      expect(
        r.analytic[0].some((g) => Math.abs(g) > 1e-2),
        name,
      ).toBe(true);
    }
    x.dispose();
    layer.dispose();
  });

  it('leaves no tensor behind over forward passes', () => {
    const layer = new Linear(3, 2, { seed: 1 });
    const x = tf.ones([5, 3]);
    const guard = leakGuard();
    for (let i = 0; i < 5; i++) tf.tidy(() => layer.forward(x)).dispose();
    guard.check('Linear.forward');
    x.dispose();
    layer.dispose();
  });
});

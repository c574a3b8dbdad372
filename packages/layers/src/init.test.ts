import { Generator, type tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import * as init from './init';

function stats(t: tf.Tensor) {
  const v = Array.from(t.dataSync());
  t.dispose();
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  const min = v.reduce((a, b) => Math.min(a, b), Infinity);
  const max = v.reduce((a, b) => Math.max(a, b), -Infinity);
  return { mean, std, min, max, values: v };
}

// [out, in] = [300, 500]: fanIn 500, fanOut 300; 150 000 draws, so the sample std is within ~0.5%.
const shape = [300, 500];

describe('fans and gains', () => {
  it('computes fan_in and fan_out as PyTorch does for linear and conv weights', () => {
    expect(init.computeFans([3, 5])).toEqual({ fanIn: 5, fanOut: 3 });
    expect(init.computeFans([16, 8, 3, 3])).toEqual({ fanIn: 72, fanOut: 144 });
    expect(() => init.computeFans([5])).toThrow('shape: expected at least 2 dimensions');
  });

  it('matches torch.nn.init.calculate_gain', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.sqrt(2), 12);
    expect(init.calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 12);
    expect(init.calculateGain('leakyRelu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    // PyTorch's spelling is accepted as it is.
    expect(init.calculateGain('leaky_relu', 0.2)).toBe(init.calculateGain('leakyRelu', 0.2));
    expect(() => init.calculateGain('selu' as init.Nonlinearity)).toThrow('nonlinearity: expected one of');
  });
});

describe('random initialisers', () => {
  it('xavierUniform lies in ±gain·√(6/(in+out)) and fills it', () => {
    const bound = 2 * Math.sqrt(6 / 800);
    const s = stats(init.xavierUniform(shape, 1, { gain: 2 }));
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.max).toBeGreaterThan(0.99 * bound);
    expect(s.std / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
  });

  it('xavierNormal has std √(2/(in+out))', () => {
    const s = stats(init.xavierNormal(shape, 2));
    expect(Math.abs(s.mean)).toBeLessThan(0.002);
    expect(Math.abs(s.std / Math.sqrt(2 / 800) - 1)).toBeLessThan(0.02);
  });

  it('kaimingUniform: PyTorch defaults give √2·√(3/fanIn); a = √5 gives 1/√fanIn (Linear)', () => {
    const bound = Math.sqrt(2) * Math.sqrt(3 / 500);
    const s = stats(init.kaimingUniform(shape, 3));
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.max).toBeGreaterThan(0.99 * bound);
    const linear = stats(init.kaimingUniform(shape, 3, { a: Math.sqrt(5) }));
    expect(linear.max).toBeLessThanOrEqual(1 / Math.sqrt(500));
    expect(linear.max).toBeGreaterThan(0.99 / Math.sqrt(500));
  });

  it('kaimingNormal: std gain/√fan for each mode and nonlinearity', () => {
    const cases: [init.KaimingOptions, number][] = [
      [{ nonlinearity: 'relu' }, Math.sqrt(2) / Math.sqrt(500)],
      [{ nonlinearity: 'relu', mode: 'fanOut' }, Math.sqrt(2) / Math.sqrt(300)],
      [{ nonlinearity: 'tanh' }, 5 / 3 / Math.sqrt(500)],
      [{ nonlinearity: 'leakyRelu', a: 0.2 }, Math.sqrt(2 / 1.04) / Math.sqrt(500)],
      [{ nonlinearity: 'linear', mode: 'fanOut' }, 1 / Math.sqrt(300)],
      [{ nonlinearity: 'leaky_relu', a: 0.2, mode: 'fan_out' }, Math.sqrt(2 / 1.04) / Math.sqrt(300)],
    ];
    for (const [options, std] of cases) {
      const s = stats(init.kaimingNormal(shape, 4, options));
      expect(Math.abs(s.std / std - 1), JSON.stringify(options)).toBeLessThan(0.02);
    }
    expect(() => init.kaimingNormal(shape, 4, { mode: 'in' as 'fanIn' })).toThrow(
      "mode: expected 'fanIn' or 'fanOut'",
    );
  });

  it('uniform(low, high) and normal(mean, std)', () => {
    const u = stats(init.uniform(-2, 5)(shape, 5));
    expect(u.min).toBeGreaterThanOrEqual(-2);
    expect(u.max).toBeLessThan(5);
    expect(u.mean).toBeCloseTo(1.5, 1);
    const n = stats(init.normal(3, 0.5)(shape, 6));
    expect(n.mean).toBeCloseTo(3, 2);
    expect(Math.abs(n.std / 0.5 - 1)).toBeLessThan(0.02);
    expect(() => init.uniform(1, 1)).toThrow('high: expected a number greater than low (1), found 1');
    expect(() => init.normal(0, -1)).toThrow('std: expected a positive number, found -1');
  });

  it('repeats for the same seed, differs for another, and advances a shared Generator', () => {
    const a = stats(init.kaimingNormal([20, 10], 7)).values;
    expect(stats(init.kaimingNormal([20, 10], 7)).values).toEqual(a);
    expect(stats(init.kaimingNormal([20, 10], 8)).values).not.toEqual(a);
    const g = new Generator(7);
    const first = stats(init.xavierUniform([20, 10], g)).values;
    expect(stats(init.xavierUniform([20, 10], g)).values).not.toEqual(first);
  });
});

describe('constant initialisers', () => {
  it('zeros, ones and constant', () => {
    expect(stats(init.zeros([2, 3])).values).toEqual([0, 0, 0, 0, 0, 0]);
    expect(stats(init.ones([4])).values).toEqual([1, 1, 1, 1]);
    const c = init.constant(0.25)([2, 2]);
    expect(c.dtype).toBe('float32');
    expect(stats(c).values).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(() => init.zeros([2, -1])).toThrow(
      'shape: expected an array of non-negative integers, found [2, -1]',
    );
    expect(() => init.constant(Number.NaN)).toThrow('value: expected a finite number, found NaN');
  });
});

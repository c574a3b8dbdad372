import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { checkLayerGradients, worst } from '../test/grad-helpers';
import { Identity } from './identity';
import { LeakyReLU } from './leaky-relu';
import type { Module } from './module';
import { ReLU } from './relu';
import { Sigmoid } from './sigmoid';
import { Softmax } from './softmax';
import { Softplus } from './softplus';
import { Tanh } from './tanh';

// Away from the kinks at 0 (ReLU, leaky ReLU) and at beta*x = threshold, where finite differences straddle two branches.
const xs = [-3.1, -1.7, -0.9, -0.35, 0.2, 0.6, 1.1, 1.9, 2.6, 3.4, 4.3, -2.4];
const input = () => tf.tensor2d(xs, [3, 4]);

function closedForm(layer: Module, f: (v: number) => number, digits = 5) {
  const x = input();
  const y = layer.forward(x);
  expect(y.shape).toEqual([3, 4]);
  Array.from(y.dataSync()).forEach((v, i) => {
    expect(v, `${layer.toJSON().type} at x = ${xs[i]}`).toBeCloseTo(f(xs[i]), digits);
  });
  tf.dispose([x, y]);
}

// PyTorch's softplus: log(1 + exp(beta x)) / beta, or x where beta x > threshold.
const softplus = (beta: number, threshold: number) => (v: number) =>
  beta * v > threshold ? v : Math.log1p(Math.exp(beta * v)) / beta;

describe('activations against their closed forms', () => {
  it('ReLU, Sigmoid, Tanh, Identity', () => {
    closedForm(new ReLU(), (v) => Math.max(0, v));
    closedForm(new Sigmoid(), (v) => 1 / (1 + Math.exp(-v)));
    closedForm(new Tanh(), Math.tanh);
    closedForm(new Identity(), (v) => v);
  });

  it('Softplus with the default beta 1 and threshold 20', () => {
    const layer = new Softplus();
    expect(layer.toJSON()).toEqual({ type: 'Softplus', beta: 1, threshold: 20 });
    closedForm(layer, softplus(1, 20));
  });

  it('Softplus switches to x above the threshold, exactly as PyTorch does', () => {
    // beta 2, threshold 3: linear for x > 1.5. log1p(exp(2 * 1.9)) / 2 = 1.9111 differs from 1.9.
    const layer = new Softplus({ beta: 2, threshold: 3 });
    closedForm(layer, softplus(2, 3));
    const y = layer.forward(tf.tensor1d([1.9, 1.4]));
    expect(y.dataSync()[0]).toBeCloseTo(1.9, 6);
    expect(y.dataSync()[1]).toBeCloseTo(Math.log1p(Math.exp(2.8)) / 2, 5);
    // Large inputs neither overflow nor lose the identity.
    const big = new Softplus().forward(tf.tensor1d([100, -100]));
    expect(Array.from(big.dataSync())).toEqual([100, expect.closeTo(0, 30)]);
    tf.dispose([y, big]);
  });

  it('LeakyReLU with its default and a custom slope', () => {
    closedForm(new LeakyReLU(), (v) => (v >= 0 ? v : 0.01 * v));
    closedForm(new LeakyReLU({ negativeSlope: 0.2 }), (v) => (v >= 0 ? v : 0.2 * v));
  });

  it('Softmax: the closed form, rows summing to 1, and dim 0', () => {
    const x = input();
    const rows = new Softmax().forward(x).arraySync() as number[][];
    const data = x.arraySync() as number[][];
    rows.forEach((row, i) => {
      const exps = data[i].map(Math.exp);
      const total = exps.reduce((a, b) => a + b, 0);
      row.forEach((v, j) => {
        expect(v).toBeCloseTo(exps[j] / total, 6);
      });
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    });
    const cols = new Softmax({ dim: 0 }).forward(x).arraySync() as number[][];
    for (let j = 0; j < 4; j++) {
      const exps = data.map((r) => Math.exp(r[j]));
      const total = exps.reduce((a, b) => a + b, 0);
      expect(cols.reduce((a, r) => a + r[j], 0)).toBeCloseTo(1, 6);
      cols.forEach((r, i) => {
        expect(r[j]).toBeCloseTo(exps[i] / total, 6);
      });
    }
    expect(() => new Softmax({ dim: 2 }).forward(x)).toThrow(
      'Softmax: dim: expected a dimension of the rank-2 input, found 2',
    );
    x.dispose();
  });

  it('validate their options and inputs', () => {
    expect(() => new Softplus({ beta: 0 })).toThrow(
      'Softplus: beta: expected a positive finite number, found 0',
    );
    expect(() => new LeakyReLU({ negativeSlope: Number.NaN })).toThrow('LeakyReLU: negativeSlope');
    expect(() => new Softmax({ dim: 0.5 })).toThrow('Softmax: dim: expected an integer, found 0.5');
    const ints = tf.tensor1d([1, 2], 'int32');
    expect(() => new ReLU().forward(ints)).toThrow(
      'ReLU: input: expected a float32 tensor, found a int32 tensor of shape [2]',
    );
    expect(() => new Tanh().forward([1, 2] as unknown as tf.Tensor)).toThrow(
      'Tanh: input: expected a tensor, found [1, 2]',
    );
    ints.dispose();
  });
});

describe('activation gradients by finite differences', () => {
  const layers: [string, Module][] = [
    ['ReLU', new ReLU()],
    ['Sigmoid', new Sigmoid()],
    ['Tanh', new Tanh()],
    ['Identity', new Identity()],
    ['Softplus', new Softplus()],
    ['Softplus(beta 2, threshold 3)', new Softplus({ beta: 2, threshold: 3 })],
    ['LeakyReLU(0.2)', new LeakyReLU({ negativeSlope: 0.2 })],
    ['Softmax', new Softmax()],
    ['Softmax(dim 0)', new Softmax({ dim: 0 })],
  ];
  for (const [label, layer] of layers) {
    it(label, () => {
      const x = input();
      const guard = leakGuard();
      const report = checkLayerGradients(layer, x);
      guard.check(label);
      expect(report.input.ok, worst(label, report.input)).toBe(true);
      expect(report.input.analytic[0].some((g) => Math.abs(g) > 1e-2)).toBe(true);
      expect(report.parameters).toEqual([]);
      x.dispose();
    });
  }
});

import { leakGuard, manualSeed, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { checkLayerGradients, worst } from '../test/grad-helpers';
import { Dropout } from './dropout';
import { Identity } from './identity';
import { Linear } from './linear';
import { ReLU } from './relu';
import { mlp, Sequential } from './sequential';
import { Sigmoid } from './sigmoid';
import { Softplus } from './softplus';
import { Tanh } from './tanh';

// The course's network: dosage -> two softplus neurons -> efficacy.
const course = () => new Sequential([new Linear(1, 2), new Softplus(), new Linear(2, 1)]);

describe('Sequential', () => {
  it('builds the course 1-2-1 softplus network with 7 parameters', () => {
    const model = course();
    expect(model.length).toBe(3);
    expect(model.numParameters()).toBe(7);
    expect(model.toJSON()).toEqual({
      type: 'Sequential',
      layers: [
        { type: 'Linear', inFeatures: 1, outFeatures: 2, bias: true },
        { type: 'Softplus', beta: 1, threshold: 20 },
        { type: 'Linear', inFeatures: 2, outFeatures: 1, bias: true },
      ],
    });
    model.dispose();
  });

  it('computes the upper path + lower path + bias of the course by hand', () => {
    const model = course();
    const [w1, b1, w2, b2] = [[3.34, -3.53], [-1.43, 0.57], [-1.22, -2.3], [-0.58]];
    model.loadStateDict({
      '0.weight': tf.tensor2d(w1, [2, 1]),
      '0.bias': tf.tensor1d(b1),
      '2.weight': tf.tensor2d(w2, [1, 2]),
      '2.bias': tf.tensor1d(b2),
    });
    const sp = (v: number) => Math.log1p(Math.exp(v));
    const dosages = [0, 0.25, 0.5, 0.75, 1];
    const y = model.forward(tf.tensor2d(dosages, [5, 1]));
    expect(y.shape).toEqual([5, 1]);
    Array.from(y.dataSync()).forEach((v, i) => {
      const d = dosages[i];
      const expected = w2[0] * sp(w1[0] * d + b1[0]) + w2[1] * sp(w1[1] * d + b1[1]) + b2[0];
      expect(v).toBeCloseTo(expected, 5);
    });
    model.dispose();
  });

  it('at(), append() and length', () => {
    const first = new Linear(2, 3);
    const model = new Sequential([first, new ReLU()]);
    expect(model.at(0)).toBe(first);
    expect(model.at(-2)).toBe(first);
    expect(() => model.at(2)).toThrow('Sequential.at: index: expected an integer in [-2, 2), found 2');
    const head = new Linear(3, 1);
    expect(model.append(head)).toBe(model);
    expect(model.length).toBe(3);
    expect(model.at(-1)).toBe(head);
    expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(() => model.append({} as Linear)).toThrow('Sequential.append: module: expected a Module');
    expect(() => new Sequential([new ReLU(), 3 as unknown as ReLU])).toThrow(
      'Sequential: layers[1]: expected a Module, found 3',
    );
    const empty = new Sequential();
    const x = tf.ones([2, 2]);
    expect(empty.forward(x)).toBe(x);
    x.dispose();
    model.dispose();
  });

  it('passes a gradient check through the whole network, for the input and every parameter', () => {
    manualSeed(3);
    const model = new Sequential([
      new Linear(3, 4),
      new Tanh(),
      new Linear(4, 2),
      new Softplus(),
      new Linear(2, 1),
    ]);
    const x = tf.tensor2d([0.3, -1.2, 0.8, 1.5, 0.1, -0.4], [2, 3]);
    const report = checkLayerGradients(model, x);
    expect(report.input.ok, worst('input', report.input)).toBe(true);
    expect(report.parameters.map(([n]) => n)).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
      '4.weight',
      '4.bias',
    ]);
    for (const [name, r] of report.parameters) {
      expect(r.ok, worst(name, r)).toBe(true);
      expect(
        r.analytic[0].some((g) => Math.abs(g) > 1e-3),
        name,
      ).toBe(true);
    }
    x.dispose();
    model.dispose();
  });

  it('leaks no tensor over forward passes, in training and eval mode', () => {
    const model = new Sequential([
      new Linear(4, 8),
      new ReLU(),
      new Dropout({ p: 0.5, seed: 1 }),
      new Linear(8, 1),
    ]);
    const x = tf.ones([16, 4]);
    const guard = leakGuard();
    for (let i = 0; i < 3; i++) model.forward(x).dispose();
    model.eval();
    for (let i = 0; i < 3; i++) model.forward(x).dispose();
    guard.check('Sequential.forward');
    x.dispose();
    model.dispose();
  });
});

describe('summary', () => {
  it('lists layers, output shapes and parameter counts with totals', () => {
    const model = course();
    const text = model.summary([1]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Layer\s+Type\s+Output shape\s+Params$/);
    expect(lines.find((l) => l.startsWith('0 '))).toMatch(/^0\s+Linear\s+\[N, 2\]\s+4$/);
    expect(lines.find((l) => l.startsWith('1 '))).toMatch(/^1\s+Softplus\s+\[N, 2\]\s+0$/);
    expect(lines.find((l) => l.startsWith('2 '))).toMatch(/^2\s+Linear\s+\[N, 1\]\s+3$/);
    expect(lines.find((l) => l.includes('Sequential'))).toMatch(/Sequential\s+\[N, 1\]\s+--$/);
    expect(lines.slice(-3)).toEqual(['Total params: 7', 'Trainable params: 7', 'Frozen params: 0']);
    model.at(0).freeze();
    expect(model.summary().split('\n').slice(-3)).toEqual([
      'Total params: 7',
      'Trainable params: 3',
      'Frozen params: 4',
    ]);
    expect(model.summary()).not.toContain('Output shape');
    model.dispose();
  });

  it('indents nested modules, restores modes and leaks nothing', () => {
    const model = new Sequential([
      new Sequential([new Linear(3, 5), new ReLU()]),
      new Dropout({ p: 0.5, seed: 1 }),
      new Identity(),
      new Linear(5, 2),
    ]);
    const guard = leakGuard();
    const text = model.summary([3]);
    guard.check('summary');
    expect(text).toMatch(/\n {2}0\.0\s+Linear\s+\[N, 5\]\s+20\n/);
    expect(text).toMatch(/\n0\s+Sequential\s+\[N, 5\]\s+--\n/);
    expect(text).toContain('Total params: 32');
    expect(model.modules().every((m) => m.training)).toBe(true);
    expect(Object.hasOwn(model.at(0), 'forward')).toBe(false);
    // A wrong input shape is reported with the layer that refused it.
    expect(() => model.summary([4])).toThrow(
      'summary: inputShape [4]: Linear(3, 5): input: expected shape [N, 3], found [1, 4]',
    );
    expect(() => model.summary([0])).toThrow("inputShape: expected one sample's shape");
    guard.check('failed summary');
    model.dispose();
  });
});

const weights = (m: ReturnType<typeof mlp>) => m.parameters().map((p) => Array.from(p.variable.dataSync()));

describe('mlp', () => {
  it("builds the course's 1-2-1 softplus network with 7 parameters", () => {
    const net = mlp({ inputs: 1, hidden: [2], outputs: 1, activation: 'softplus', seed: 5 });
    expect(net.layers.map((l) => l.constructor)).toEqual([Linear, Softplus, Linear]);
    expect(net.numParameters()).toBe(7);
    net.dispose();
  });

  it('seeds layer i with seed * 1000 + i, adds a sigmoid output, and leaves hidden layers linear on none', () => {
    const a = mlp({ inputs: 3, hidden: [4], outputs: 1, seed: 2, sigmoidOutput: true });
    const twin = [new Linear(3, 4, { seed: 2000 }), new Linear(4, 1, { seed: 2001 })];
    expect(weights(a)).toEqual(
      twin.flatMap((l) => l.parameters().map((p) => Array.from(p.variable.dataSync()))),
    );
    expect(a.at(a.length - 1)).toBeInstanceOf(Sigmoid);
    const linear = mlp({ inputs: 3, hidden: [4, 4], outputs: 1, activation: 'none' });
    expect(linear.layers.every((l) => l instanceof Linear)).toBe(true);
    for (const m of [a, linear, ...twin]) m.dispose();
  });

  it('refuses an unknown activation', () => {
    expect(() => mlp({ inputs: 1, hidden: [1], outputs: 1, activation: 'gelu' as 'relu' })).toThrow(
      /mlp: activation: expected one of relu, sigmoid, tanh, softplus, leaky-relu, none, found "gelu"/,
    );
  });
});

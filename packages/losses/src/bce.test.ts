import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradientsMatch, expectTidy, expectTidyGrad, read, scalarOf } from '../test/util';
import { bce } from './bce';

// PyTorch's definition per element, in float64: each log clamped at -100.
const byHand = (p: number, y: number): number =>
  -(y * Math.max(Math.log(p), -100) + (1 - y) * Math.max(Math.log(1 - p), -100));

describe('bce', () => {
  it("gives the course's worked example: targets [0, 1, 0], prediction 0.5 -> ln 2", () => {
    const prediction = tf.tensor([0.5, 0.5, 0.5]);
    const target = tf.tensor([0, 1, 0]);
    expect(Math.abs(scalarOf(bce(prediction, target)) - Math.LN2)).toBeLessThan(1e-6);
    tf.dispose([prediction, target]);
  });

  it('matches -(y log p + (1 - y) log(1 - p)) computed by hand, soft targets included', () => {
    const ps = [0.9, 0.2, 0.6, 0.05, 0.5];
    const ys = [1, 0, 0.3, 1, 0.75];
    const expected = ps.map((p, i) => byHand(p, ys[i]));
    const p = tf.tensor(ps);
    const y = tf.tensor(ys);
    expectClose(read(bce(p, y, { reduction: 'none' })), expected);
    expectClose([scalarOf(bce(p, y, { reduction: 'sum' }))], [expected.reduce((a, b) => a + b)]);
    expectClose([scalarOf(bce(p, y))], [expected.reduce((a, b) => a + b) / ps.length]);
    tf.dispose([p, y]);
  });

  it('clamps log at -100 like PyTorch, so p = 0 or 1 gives finite losses and gradients', () => {
    const p = tf.tensor([0, 1, 0, 1]);
    const y = tf.tensor([1, 0, 0, 1]);
    expectClose(read(bce(p, y, { reduction: 'none' })), [100, 100, 0, 0]);
    // PyTorch's backward: (p - y) / max(p (1 - p), 1e-12).
    const g = read(tf.grad((v: tf.Tensor) => bce(v, y, { reduction: 'sum' }))(p));
    expectClose(g, [-1e12, 1e12, 0, 0]);
    tf.dispose([p, y]);
  });

  it('clips probabilities to [eps, 1 - eps] when eps is given', () => {
    const p = tf.tensor([0, 1, 0.5]);
    const y = tf.tensor([1, 0, 1]);
    const eps = 1e-3;
    expectClose(read(bce(p, y, { eps, reduction: 'none' })), [-Math.log(eps), -Math.log(eps), Math.LN2]);
    tf.dispose([p, y]);
  });

  it('has the gradient finite differences give, for input and target, under every reduction', () => {
    const p = tf.tensor([
      [0.3, 0.8, 0.55],
      [0.12, 0.7, 0.45],
    ]);
    const y = tf.tensor([
      [1, 0, 0.4],
      [0, 1, 0.9],
    ]);
    expectGradientsMatch((reduction, a) => bce(a, y, { reduction }), [p]);
    // The target's gradient, log(1 - p) - log p, checked where the target can move both ways.
    const soft = tf.tensor([
      [0.9, 0.1, 0.4],
      [0.05, 0.6, 0.9],
    ]);
    expectGradientsMatch((reduction, a, b) => bce(a, b, { reduction }), [p, soft]);
    soft.dispose();
    // Closed form: d/dp = (p - y) / (p (1 - p)) / n.
    const pv = p.dataSync();
    const yv = y.dataSync();
    expectClose(
      read(tf.grad((v: tf.Tensor) => bce(v, y))(p)),
      Array.from(pv, (v, i) => (v - yv[i]) / (v * (1 - v)) / 6),
    );
    tf.dispose([p, y]);
  });

  it('leaves no tensors behind, in a call or a gradient', () => {
    const p = tf.tensor([0.2, 0.9, 0]);
    const y = tf.tensor([0, 1, 1]);
    for (const reduction of ['mean', 'sum', 'none'] as const) expectTidy(() => bce(p, y, { reduction }));
    expectTidy(() => bce(p, y, { eps: 1e-6 }));
    expectTidyGrad((v) => bce(v, y), p);
    expectTidyGrad((v) => bce(v, y, { eps: 1e-6 }), p);
    tf.dispose([p, y]);
  });

  it('refuses targets or probabilities outside [0, 1], naming the value and where it is', () => {
    const p = tf.tensor([
      [0.2, 0.5],
      [0.4, 0.9],
    ]);
    const bad = tf.tensor([
      [0, 1],
      [1.5, 0],
    ]);
    const negative = tf.tensor([
      [0.2, -0.1],
      [0.4, 0.9],
    ]);
    const nan = tf.tensor([
      [0, Number.NaN],
      [1, 0],
    ]);
    expect(() => bce(p, bad)).toThrow('bce: target: expected values in [0, 1], found 1.5 at index [1, 0]');
    expect(() => bce(p, nan)).toThrow('bce: target: expected values in [0, 1], found NaN at index [0, 1]');
    expect(() => bce(negative, p)).toThrow(
      'bce: input: expected values in [0, 1], found -0.1 at index [0, 1]',
    );
    tf.dispose([p, bad, negative, nan]);
  });

  it('refuses mismatched shapes, a bad reduction and a bad eps', () => {
    const p = tf.fill([3, 1], 0.5);
    const y = tf.zeros([3]);
    expect(() => bce(p, y)).toThrow(
      'bce: target: expected shape [3, 1] (the shape of input), found shape [3]',
    );
    expect(() => bce(p, p, { reduction: 'avg' as 'mean' })).toThrow(/bce: reduction: .*found "avg"/);
    expect(() => bce(p, p, { eps: 0.5 })).toThrow(
      'bce: eps: expected a finite number in [0, 0.5), found 0.5',
    );
    tf.dispose([p, y]);
  });
});

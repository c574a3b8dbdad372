import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradientsMatch, expectTidy, expectTidyGrad, read, scalarOf } from '../test/util';
import { bceWithLogits } from './bce-with-logits';

// The definition, -(w y log s(x) + (1 - y) log(1 - s(x))) with w = posWeight, in float64 with the
// logs written so they stay exact for the moderate logits used here.
const byHand = (x: number, y: number, w = 1): number => {
  const logSigmoid = -Math.log1p(Math.exp(-x));
  const log1mSigmoid = -Math.log1p(Math.exp(x));
  return -(w * y * logSigmoid + (1 - y) * log1mSigmoid);
};
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('bceWithLogits', () => {
  it('matches the definition computed by hand, for each reduction', () => {
    const xs = [2.3, -1.1, 0, 0.4, -3.5, 6];
    const ys = [1, 0, 1, 0.25, 1, 0];
    const expected = xs.map((x, i) => byHand(x, ys[i]));
    const x = tf.tensor(xs, [2, 3]);
    const y = tf.tensor(ys, [2, 3]);
    expectClose(read(bceWithLogits(x, y, { reduction: 'none' })), expected);
    expectClose([scalarOf(bceWithLogits(x, y, { reduction: 'sum' }))], [expected.reduce((a, b) => a + b)]);
    expectClose([scalarOf(bceWithLogits(x, y))], [expected.reduce((a, b) => a + b) / 6]);
    tf.dispose([x, y]);
  });

  it('agrees with bce(sigmoid(x)) for the course example: logit 0 is p = 0.5, loss ln 2', () => {
    const x = tf.zeros([3]);
    const y = tf.tensor([0, 1, 0]);
    expect(Math.abs(scalarOf(bceWithLogits(x, y)) - Math.LN2)).toBeLessThan(1e-6);
    tf.dispose([x, y]);
  });

  it('gives exact, finite values and gradients for logits of +-1000', () => {
    const x = tf.tensor([1000, -1000, 1000, -1000, 30, -30]);
    const y = tf.tensor([0, 1, 1, 0, 0, 0]);
    // Wrong-side certainty costs |x|; right-side costs log(1 + e^-1000) = 0 in float32.
    expectClose(read(bceWithLogits(x, y, { reduction: 'none' })), [
      1000,
      1000,
      0,
      0,
      30,
      Math.log1p(Math.exp(-30)),
    ]);
    const g = read(tf.grad((v: tf.Tensor) => bceWithLogits(v, y, { reduction: 'sum' }))(x));
    expect(g.every(Number.isFinite)).toBe(true);
    expectClose(g, [1, -1, 0, 0, sigmoid(30), sigmoid(-30)]);
    tf.dispose([x, y]);
  });

  it('has the exact gradient sigmoid(x) - y at x = 0, where autodiff of max and |x| would not', () => {
    const x = tf.zeros([2]);
    const y = tf.tensor([0, 1]);
    expectClose(read(tf.grad((v: tf.Tensor) => bceWithLogits(v, y, { reduction: 'sum' }))(x)), [0.5, -0.5]);
    tf.dispose([x, y]);
  });

  it('has the gradient finite differences give, for input and target, with and without posWeight', () => {
    const x = tf.tensor([
      [0.3, -1.2, 2.0],
      [0.0, 3.1, -0.4],
    ]);
    const y = tf.tensor([
      [1, 0, 0.4],
      [0, 1, 0.9],
    ]);
    expectGradientsMatch((reduction, a) => bceWithLogits(a, y, { reduction }), [x]);
    // Soft targets, so that finite differences can move them both ways inside [0, 1].
    const soft = tf.tensor([
      [0.9, 0.1, 0.4],
      [0.05, 0.6, 0.9],
    ]);
    expectGradientsMatch((reduction, a, b) => bceWithLogits(a, b, { reduction }), [x, soft]);
    expectGradientsMatch((reduction, a, b) => bceWithLogits(a, b, { reduction, posWeight: 2.5 }), [x, soft]);
    const pw = tf.tensor([0.5, 1, 3]);
    // posWeight is differentiable too (it broadcasts over the rows).
    expectGradientsMatch(
      (reduction, a, b, w) => bceWithLogits(a, b, { reduction, posWeight: w }),
      [x, soft, pw],
    );
    tf.dispose([x, y, soft, pw]);
  });

  it('weights the positive term by posWeight, a number or a per-class tensor', () => {
    const xs = [0.7, -0.2, 1.5, -2];
    const ys = [1, 1, 0, 0.5];
    const x = tf.tensor(xs, [2, 2]);
    const y = tf.tensor(ys, [2, 2]);
    expectClose(
      read(bceWithLogits(x, y, { posWeight: 3, reduction: 'none' })),
      xs.map((v, i) => byHand(v, ys[i], 3)),
    );
    const perClass = tf.tensor([2, 0.5]);
    expectClose(
      read(bceWithLogits(x, y, { posWeight: perClass, reduction: 'none' })),
      xs.map((v, i) => byHand(v, ys[i], [2, 0.5][i % 2])),
    );
    tf.dispose([x, y, perClass]);
  });

  it('leaves no tensors behind, in a call or a gradient', () => {
    const x = tf.tensor([
      [0.3, -1000],
      [1000, 0],
    ]);
    const y = tf.tensor([
      [1, 0],
      [0, 1],
    ]);
    const pw = tf.tensor([2, 3]);
    for (const reduction of ['mean', 'sum', 'none'] as const)
      expectTidy(() => bceWithLogits(x, y, { reduction }));
    expectTidy(() => bceWithLogits(x, y, { posWeight: pw }));
    expectTidyGrad((v) => bceWithLogits(v, y), x);
    expectTidyGrad((v) => bceWithLogits(v, y, { posWeight: pw }), x);
    tf.dispose([x, y, pw]);
  });

  it('refuses mismatched shapes, targets outside [0, 1], a bad posWeight and a bad reduction', () => {
    const x = tf.zeros([2, 3]);
    const y = tf.zeros([2]);
    const bad = tf.tensor([
      [0, 1, 2],
      [0, 0, 0],
    ]);
    const pw = tf.ones([2]);
    expect(() => bceWithLogits(x, y)).toThrow(
      'bceWithLogits: target: expected shape [2, 3] (the shape of input), found shape [2]',
    );
    expect(() => bceWithLogits(x, bad)).toThrow(
      'bceWithLogits: target: expected values in [0, 1], found 2 at index [0, 2]',
    );
    expect(() => bceWithLogits(x, x, { posWeight: pw })).toThrow(
      'bceWithLogits: posWeight: expected a shape that broadcasts to [2, 3] (the shape of input), found shape [2]',
    );
    expect(() => bceWithLogits(x, x, { posWeight: -1 })).toThrow(/bceWithLogits: posWeight: .*found -1/);
    expect(() => bceWithLogits(x, x, { reduction: 'avg' as 'mean' })).toThrow(/bceWithLogits: reduction/);
    tf.dispose([x, y, bad, pw]);
  });
});

import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradientsMatch, expectTidy, expectTidyGrad, read, scalarOf } from '../test/util';
import { mse } from './mse';

describe('mse', () => {
  it("gives the course's worked example: targets [0, 1, 0], prediction 0.5 -> 0.25 exactly", () => {
    const prediction = tf.tensor([0.5, 0.5, 0.5]);
    const target = tf.tensor([0, 1, 0]);
    expect(scalarOf(mse(prediction, target))).toBe(0.25);
    tf.dispose([prediction, target]);
  });

  it('matches (x - y)^2 computed by hand, for each reduction', () => {
    const xs = [1.5, -2, 0.25, 3];
    const ys = [0.5, 1, 0.25, -1];
    const squares = xs.map((x, i) => (x - ys[i]) ** 2);
    const x = tf.tensor(xs, [2, 2]);
    const y = tf.tensor(ys, [2, 2]);
    const none = mse(x, y, { reduction: 'none' });
    expect(none.shape).toEqual([2, 2]);
    expectClose(read(none), squares);
    expectClose([scalarOf(mse(x, y, { reduction: 'sum' }))], [squares.reduce((a, b) => a + b)]);
    expectClose([scalarOf(mse(x, y))], [squares.reduce((a, b) => a + b) / 4]);
    tf.dispose([x, y]);
  });

  it('accepts int32 and bool targets', () => {
    const x = tf.tensor([0.5, 2]);
    const yInt = tf.tensor([1, 0], [2], 'int32');
    const yBool = tf.tensor([1, 0], [2], 'bool');
    expectClose([scalarOf(mse(x, yInt))], [(0.25 + 4) / 2]);
    expectClose([scalarOf(mse(x, yBool))], [(0.25 + 4) / 2]);
    tf.dispose([x, yInt, yBool]);
  });

  it('has the gradient that finite differences give, for input and target, under every reduction', () => {
    const x = tf.tensor([
      [0.3, -1.2, 2.0],
      [0.7, 0.1, -0.4],
    ]);
    const y = tf.tensor([
      [1.0, -0.5, 0.5],
      [-0.2, 0.4, 0.3],
    ]);
    expectGradientsMatch((reduction, a, b) => mse(a, b, { reduction }), [x, y]);
    // Closed form too: d mean((x - y)^2) / dx = 2 (x - y) / n.
    const g = tf.grad((v: tf.Tensor) => mse(v, y))(x);
    const xv = x.dataSync();
    const yv = y.dataSync();
    expectClose(
      read(g),
      Array.from(xv, (v, i) => (2 * (v - yv[i])) / 6),
    );
    tf.dispose([x, y]);
  });

  it('leaves no tensors behind, in a call or a gradient', () => {
    const x = tf.tensor([1, 2, 3]);
    const y = tf.tensor([0, 2, 5]);
    for (const reduction of ['mean', 'sum', 'none'] as const) expectTidy(() => mse(x, y, { reduction }));
    expectTidyGrad((v) => mse(v, y), x);
    tf.dispose([x, y]);
  });

  it('refuses mismatched shapes, a bad reduction, unknown options and non-tensors', () => {
    const x = tf.zeros([3, 1]);
    const y = tf.zeros([3]);
    expect(() => mse(x, y)).toThrow(
      'mse: target: expected shape [3, 1] (the shape of input), found shape [3]',
    );
    expect(() => mse(x, x, { reduction: 'avg' as 'mean' })).toThrow(
      'mse: reduction: expected one of "mean", "sum", "none", found "avg"',
    );
    expect(() => mse(x, x, { reduce: 'sum' } as never)).toThrow(
      'mse: options: expected keys among "reduction", found unknown option "reduce"',
    );
    expect(() => mse([1, 2] as never, y)).toThrow('mse: input: expected a Tensor, found [1, 2]');
    const ints = tf.zeros([3], 'int32');
    expect(() => mse(ints, y)).toThrow('mse: input: expected dtype float32, found dtype int32');
    tf.dispose([x, y, ints]);
  });
});

import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradientsMatch, expectTidy, expectTidyGrad, read, scalarOf } from '../test/util';
import { mae } from './mae';

describe('mae', () => {
  it('matches |x - y| computed by hand, for each reduction', () => {
    const xs = [1.5, -2, 0.25, 3, 0];
    const ys = [0.5, 1, 0.25, -1, -0.75];
    const abs = xs.map((x, i) => Math.abs(x - ys[i]));
    const x = tf.tensor(xs);
    const y = tf.tensor(ys);
    expectClose(read(mae(x, y, { reduction: 'none' })), abs);
    expectClose([scalarOf(mae(x, y, { reduction: 'sum' }))], [abs.reduce((a, b) => a + b)]);
    expectClose([scalarOf(mae(x, y))], [abs.reduce((a, b) => a + b) / 5]);
    tf.dispose([x, y]);
  });

  it('gives the course example: targets [0, 1, 0], prediction 0.5 -> 0.5', () => {
    const x = tf.tensor([0.5, 0.5, 0.5]);
    const y = tf.tensor([0, 1, 0]);
    expect(scalarOf(mae(x, y))).toBe(0.5);
    tf.dispose([x, y]);
  });

  it('has the gradient sign(x - y) / n away from the kink, and 0 at it as in PyTorch', () => {
    const x = tf.tensor([
      [0.3, -1.2, 2.0],
      [0.7, 0.1, -0.4],
    ]);
    const y = tf.tensor([
      [1.0, -0.5, 0.5],
      [-0.2, 0.4, 0.3],
    ]);
    expectGradientsMatch((reduction, a, b) => mae(a, b, { reduction }), [x, y]);
    const atKink = tf.tensor([1, 2, 3]);
    const target = tf.tensor([1, 0, 5]);
    expectClose(read(tf.grad((v: tf.Tensor) => mae(v, target, { reduction: 'sum' }))(atKink)), [0, 1, -1]);
    tf.dispose([x, y, atKink, target]);
  });

  it('leaves no tensors behind, in a call or a gradient', () => {
    const x = tf.tensor([1, 2, 3]);
    const y = tf.tensor([0, 2, 5]);
    for (const reduction of ['mean', 'sum', 'none'] as const) expectTidy(() => mae(x, y, { reduction }));
    expectTidyGrad((v) => mae(v, y), x);
    tf.dispose([x, y]);
  });

  it('refuses mismatched shapes and a bad reduction', () => {
    const x = tf.zeros([2, 3]);
    const y = tf.zeros([3, 2]);
    expect(() => mae(x, y)).toThrow(
      'mae: target: expected shape [2, 3] (the shape of input), found shape [3, 2]',
    );
    expect(() => mae(x, x, { reduction: 'max' as 'sum' })).toThrow(/mae: reduction: .*found "max"/);
    tf.dispose([x, y]);
  });
});

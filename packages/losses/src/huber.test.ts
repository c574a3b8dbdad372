import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, expectGradientsMatch, expectTidy, expectTidyGrad, read, scalarOf } from '../test/util';
import { huber } from './huber';

// torch.nn.HuberLoss written out per element, in float64.
const byHand = (d: number, delta: number): number =>
  Math.abs(d) < delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta);

describe('huber', () => {
  it('is 0.5 d^2 inside delta and delta (|d| - delta / 2) outside', () => {
    // d = -3, -1, -0.4, 0, 0.5, 1 (the boundary), 2.5
    const ds = [-3, -1, -0.4, 0, 0.5, 1, 2.5];
    const x = tf.tensor(ds.map((d) => d + 0.25));
    const y = tf.fill([ds.length], 0.25);
    expectClose(read(huber(x, y, { reduction: 'none' })), [2.5, 0.5, 0.08, 0, 0.125, 0.5, 2]);
    expectClose(
      read(huber(x, y, { reduction: 'none' })),
      ds.map((d) => byHand(d, 1)),
    );
    for (const delta of [0.3, 2]) {
      const expected = ds.map((d) => byHand(d, delta));
      expectClose(read(huber(x, y, { delta, reduction: 'none' })), expected);
      expectClose([scalarOf(huber(x, y, { delta, reduction: 'sum' }))], [expected.reduce((a, b) => a + b)]);
      expectClose([scalarOf(huber(x, y, { delta }))], [expected.reduce((a, b) => a + b) / ds.length]);
    }
    tf.dispose([x, y]);
  });

  it('has the gradient finite differences give, in both zones, for several deltas', () => {
    // Differences chosen at least 0.1 from 0 and from +-delta, the kinks of the gradient.
    const x = tf.tensor([
      [0.3, -1.2, 2.0],
      [0.7, 0.1, -0.4],
    ]);
    const y = tf.tensor([
      [1.0, -0.5, 0.5],
      [-0.2, 0.4, 0.3],
    ]);
    for (const delta of [1, 0.5, 1.7]) {
      expectGradientsMatch((reduction, a, b) => huber(a, b, { delta, reduction }), [x, y]);
    }
    // Closed form: d/dx = d inside, delta sign(d) outside.
    const g = read(tf.grad((v: tf.Tensor) => huber(v, y, { reduction: 'sum' }))(x));
    const xv = x.dataSync();
    const yv = y.dataSync();
    expectClose(
      g,
      Array.from(xv, (v, i) => {
        const d = v - yv[i];
        return Math.abs(d) < 1 ? d : Math.sign(d);
      }),
    );
    tf.dispose([x, y]);
  });

  it('leaves no tensors behind, in a call or a gradient', () => {
    const x = tf.tensor([1, 2, 3]);
    const y = tf.tensor([0, 2, 5]);
    for (const reduction of ['mean', 'sum', 'none'] as const) expectTidy(() => huber(x, y, { reduction }));
    expectTidyGrad((v) => huber(v, y, { delta: 0.5 }), x);
    tf.dispose([x, y]);
  });

  it('refuses a delta that is not positive, mismatched shapes, and unknown options', () => {
    const x = tf.zeros([2]);
    const y = tf.zeros([2, 1]);
    expect(() => huber(x, x, { delta: 0 })).toThrow(
      'huber: delta: expected a finite number in (0, Infinity), found 0',
    );
    expect(() => huber(x, x, { delta: Number.NaN })).toThrow(/huber: delta: .*found NaN/);
    expect(() => huber(x, y)).toThrow(
      'huber: target: expected shape [2] (the shape of input), found shape [2, 1]',
    );
    expect(() => huber(x, x, { beta: 1 } as never)).toThrow(/huber: options: .*unknown option "beta"/);
    expect(() => huber(x, x, { reduction: 'avg' as 'mean' })).toThrow(/huber: reduction/);
    tf.dispose([x, y]);
  });
});

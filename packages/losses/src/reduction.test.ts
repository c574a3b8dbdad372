import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { read, scalarOf } from '../test/util';
import { checkReduction, reduce } from './reduction';

describe('reduction', () => {
  it('defaults to mean and accepts the three PyTorch names', () => {
    expect(checkReduction('mse', undefined)).toBe('mean');
    for (const r of ['mean', 'sum', 'none'] as const) expect(checkReduction('mse', r)).toBe(r);
  });

  it('names the loss, the expected values and the bad one', () => {
    expect(() => checkReduction('huber', 'avg')).toThrow(
      'huber: reduction: expected one of "mean", "sum", "none", found "avg"',
    );
    expect(() => checkReduction('mse', 3)).toThrow(/mse: reduction: .* found 3/);
  });

  it('reduces by mean, sum, or not at all', () => {
    const losses = tf.tensor([
      [1, 2],
      [3, 6],
    ]);
    expect(scalarOf(reduce(losses, 'mean'))).toBeCloseTo(3, 6);
    expect(scalarOf(reduce(losses, 'sum'))).toBeCloseTo(12, 6);
    expect(reduce(losses, 'none')).toBe(losses);
    expect(read(losses)).toEqual([1, 2, 3, 6]);
  });
});

import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, scalarOf } from '../test/util';
import { bce } from './bce';
import { crossEntropy } from './cross-entropy';
import { mse } from './mse';
import { getLoss, isLossName, type LossFn, losses, lossNames } from './registry';

describe('loss registry', () => {
  it('lists the six losses by name', () => {
    expect(lossNames).toEqual(['mse', 'mae', 'huber', 'bce', 'bceWithLogits', 'crossEntropy']);
    expect(losses.mse).toBe(mse);
    expect(getLoss('crossEntropy')).toBe(crossEntropy);
    expect(isLossName('bce')).toBe(true);
    expect(isLossName('toString')).toBe(false);
  });

  it('returns functions that compute the loss with default options', () => {
    const p = tf.tensor([0.5, 0.5, 0.5]);
    const y = tf.tensor([0, 1, 0]);
    const fn: LossFn = getLoss('bce');
    expectClose([scalarOf(fn(p, y))], [Math.LN2], 1e-6);
    expectClose([scalarOf(getLoss('mse')(p, y))], [scalarOf(mse(p, y))]);
    expect(fn).toBe(bce);
    tf.dispose([p, y]);
  });

  it('names the valid losses when the name is unknown', () => {
    expect(() => getLoss('cross_entropy')).toThrow(
      'getLoss: name: expected one of "mse", "mae", "huber", "bce", "bceWithLogits", "crossEntropy", found "cross_entropy"',
    );
    expect(() => getLoss('constructor')).toThrow(/getLoss: name: .*found "constructor"/);
  });
});

import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, scalarOf } from '../test/util';
import { bce } from './bce';
import { crossEntropy } from './cross-entropy';
import { mse } from './mse';
import { getLoss, isLossName, type LossFn, losses, lossNameOf, lossNames } from './registry';

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

  it("accepts PyTorch's names", () => {
    expect(getLoss('cross_entropy')).toBe(crossEntropy);
    expect(getLoss('binary_cross_entropy_with_logits')).toBe(losses.bceWithLogits);
    expect(getLoss('l1_loss')).toBe(losses.mae);
    expect(lossNameOf('mse_loss')).toBe('mse');
    expect(lossNameOf('crossEntropy')).toBe('crossEntropy');
    expect(lossNameOf('hinge')).toBeUndefined();
  });

  it('names the valid losses when the name is unknown', () => {
    expect(() => getLoss('crossentropy')).toThrow(
      'getLoss: name: expected one of "mse", "mae", "huber", "bce", "bceWithLogits", "crossEntropy" (or PyTorch\'s name), found "crossentropy"',
    );
    expect(() => getLoss('constructor')).toThrow(/getLoss: name: .*found "constructor"/);
  });
});

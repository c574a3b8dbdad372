import { ReLU } from '@descent/layers';
import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2d } from './conv2d';
import { filters, filtersAsync } from './filters';

describe('filters', () => {
  it('returns the raw kernels as a tensor copy, or grey images scaled over the layer or per filter', () => {
    const conv = new Conv2d(2, 3, 2, { bias: false });
    const weights = Array.from({ length: 24 }, (_, i) => i - 4); // -4 .. 19
    tf.tidy(() => conv.weight.variable.assign(tf.tensor4d(weights, [3, 2, 2, 2])));
    const guard = leakGuard();
    const raw = filters(conv, { normalise: false });
    expect(raw.shape).toEqual([3, 2, 2, 2]);
    expect(raw).not.toBe(conv.weight.value);
    expect(Array.from(raw.dataSync())).toEqual(weights);
    raw.dispose();
    guard.check('filters');

    const grey = filters(conv);
    // Over the layer: (w - min) / (max - min) = i / 23.
    expect(grey[0][0]).toEqual([
      [0, 1 / 23],
      [2 / 23, 3 / 23],
    ]);
    expect(grey[2][1][1][1]).toBe(1);
    // Per filter: each output filter's 8 weights span [0, 1] on their own.
    const per = filters(conv, { normalise: 'perFilter' });
    expect(per[1][0][0][0]).toBe(0);
    expect(per[1][1][1][1]).toBe(1);
    expect(per[1][0][0][1]).toBeCloseTo(1 / 7, 10);
    expect(() => filters(new ReLU() as unknown as Conv2d)).toThrow(
      'filters: conv: expected a Conv2d, found a ReLU',
    );
    conv.dispose();
  });

  it('shows a constant filter as mid-grey', () => {
    const conv = new Conv2d(1, 1, 2, { bias: false, init: (shape) => tf.fill(shape, 0.3) });
    expect(filters(conv)).toEqual([
      [
        [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
      ],
    ]);
    conv.dispose();
  });
});

describe('filtersAsync', () => {
  it('gives what filters gives in every mode, leak-free, and reads a copy of the weight', async () => {
    const conv = new Conv2d(2, 4, 3, { seed: 7 });
    const guard = leakGuard();
    expect(await filtersAsync(conv)).toEqual(filters(conv));
    expect(await filtersAsync(conv, { normalise: 'perFilter' })).toEqual(
      filters(conv, { normalise: 'perFilter' }),
    );
    const raw = await filtersAsync(conv, { normalise: false });
    expect(raw.shape).toEqual([4, 2, 3, 3]);
    expect(raw).not.toBe(conv.weight.value);
    expect(Array.from(await raw.data())).toEqual(Array.from(conv.weight.value.dataSync()));
    raw.dispose();
    guard.check('filtersAsync');
    // The layer may be disposed while the read is under way.
    const expected = filters(conv);
    const pending = filtersAsync(conv);
    conv.dispose();
    expect(await pending).toEqual(expected);
  });

  it('checks its arguments, naming itself', async () => {
    await expect(filtersAsync(new ReLU() as unknown as Conv2d)).rejects.toThrow(
      'filtersAsync: conv: expected a Conv2d, found a ReLU',
    );
    const conv = new Conv2d(1, 1, 2, { seed: 1 });
    await expect(filtersAsync(conv, { normalise: 'yes' } as unknown as { normalise: true })).rejects.toThrow(
      'filtersAsync: normalise: expected true, false or \'perFilter\', found "yes"',
    );
    conv.dispose();
  });
});

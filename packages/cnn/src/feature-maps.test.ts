import { Dropout, Linear, ReLU, Sequential } from '@descent/layers';
import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { randomNchw } from '../test/reference';
import { BatchNorm2d } from './batch-norm2d';
import { Conv2d } from './conv2d';
import { disposeFeatureMaps, featureMapImages, featureMaps } from './feature-maps';
import { filters } from './filters';
import { Flatten } from './flatten';
import { MaxPool2d } from './max-pool2d';

const model = () =>
  new Sequential([
    new Conv2d(1, 2, 3, { padding: 1, seed: 1 }),
    new BatchNorm2d(2),
    new ReLU(),
    new MaxPool2d(2),
    new Sequential([new Flatten(), new Dropout({ p: 0.5, seed: 2 })]),
    new Linear(2 * 3 * 3, 1, { seed: 3 }),
  ]);

describe('featureMaps', () => {
  it('returns every layer’s output with its name, type and shape, equal to running the layers by hand', () => {
    const m = model();
    const x = tf.tensor4d(randomNchw([2, 1, 6, 6], 1).data, [2, 1, 6, 6]);
    const guard = leakGuard();
    const maps = featureMaps(m, x);
    expect(maps.map(({ name, type, shape }) => [name, type, shape])).toEqual([
      ['0', 'Conv2d', [2, 2, 6, 6]],
      ['1', 'BatchNorm2d', [2, 2, 6, 6]],
      ['2', 'ReLU', [2, 2, 6, 6]],
      ['3', 'MaxPool2d', [2, 2, 3, 3]],
      ['4.0', 'Flatten', [2, 18]],
      ['4.1', 'Dropout', [2, 18]],
      ['5', 'Linear', [2, 1]],
    ]);
    // Eval mode: dropout is the identity, BatchNorm uses its (initial) running statistics.
    m.eval();
    const logits = m.forward(x);
    expect(Array.from(maps[6].tensor.dataSync())).toEqual(Array.from(logits.dataSync()));
    const conv = tf.tidy(() => m.at(0).forward(x));
    expect(Array.from(maps[0].tensor.dataSync())).toEqual(Array.from(conv.dataSync()));
    // Dropout returned its input in eval mode: the entry still owns a separate tensor.
    expect(maps[5].tensor).not.toBe(maps[4].tensor);
    tf.dispose([logits, conv]);
    disposeFeatureMaps(maps);
    guard.check('featureMaps');
    x.dispose();
    m.dispose();
  });

  it('restores each module’s mode and leaves the running statistics alone', () => {
    const m = model();
    const x = tf.tensor4d(randomNchw([2, 1, 6, 6], 2).data, [2, 1, 6, 6]);
    (m.at(5) as Linear).eval();
    disposeFeatureMaps(featureMaps(m, x));
    expect(m.modules().map((mod) => mod.training)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
    const bn = m.at(1) as BatchNorm2d;
    expect(Array.from(bn.numBatchesTracked?.value.dataSync() ?? [])).toEqual([0]);
    x.dispose();
    m.dispose();
  });

  it('turns one sample’s maps into [0, 1] grey images per channel, and checks its arguments', () => {
    const m = model();
    const x = tf.tensor4d(randomNchw([2, 1, 6, 6], 3).data, [2, 1, 6, 6]);
    const maps = featureMaps(m, x);
    const images = featureMapImages(maps[0], 1);
    expect([images.length, images[0].length, images[0][0].length]).toEqual([2, 6, 6]);
    const channel = images[1].flat();
    expect(Math.min(...channel)).toBe(0);
    expect(Math.max(...channel)).toBe(1);
    // Min-max scaling keeps the order of the raw values of sample 1, channel 1.
    const raw = Array.from(maps[0].tensor.dataSync()).slice(3 * 36, 4 * 36);
    const argmax = (a: number[]) => a.indexOf(Math.max(...a));
    expect(argmax(channel)).toBe(argmax(raw));
    expect(() => featureMapImages(maps[6])).toThrow(
      'featureMapImages: map 5: expected an image-shaped output [N, C, H, W], found [2, 1] (Linear)',
    );
    expect(() => featureMapImages(maps[0], 2)).toThrow(
      'featureMapImages: sample: expected an integer in [0, 2), found 2',
    );
    expect(() => featureMaps(m.at(0) as unknown as Sequential, x)).toThrow(
      'featureMaps: model: expected a Sequential, found a Conv2d',
    );
    const wrong = tf.zeros([1, 3, 6, 6]);
    expect(() => featureMaps(m, wrong)).toThrow(
      'Conv2d(1, 2, 3): input: expected shape [N, 1, H, W], found [1, 3, 6, 6]',
    );
    disposeFeatureMaps(maps);
    tf.dispose([x, wrong]);
    m.dispose();
  });
});

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

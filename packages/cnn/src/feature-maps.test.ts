import { Dropout, Linear, ReLU, Sequential } from '@descent/layers';
import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { randomNchw } from '../test/reference';
import { BatchNorm2d } from './batch-norm2d';
import { Conv2d } from './conv2d';
import { disposeFeatureMaps, featureMapImages, featureMapImagesAsync, featureMaps } from './feature-maps';
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

  it('records a layer listed twice at each place, with forward hooks it removes afterwards', () => {
    const relu = new ReLU();
    const m = new Sequential([new Linear(2, 3, { seed: 1 }), relu, new Linear(3, 3, { seed: 2 }), relu]);
    const x = tf.tensor2d([1, -2, 0.5, 3], [2, 2]);
    const guard = leakGuard();
    let calls = 0;
    const counter = relu.registerForwardHook(() => {
      calls++;
      return undefined;
    });
    const maps = featureMaps(m, x);
    expect(calls).toBe(2);
    counter.remove();
    expect(maps.map((map) => map.name)).toEqual(['0', '1', '2', '3']);
    const expected = tf.tidy(() => [0, 2].map((i) => tf.relu(maps[i].tensor)));
    expect(Array.from(maps[1].tensor.dataSync())).toEqual(Array.from(expected[0].dataSync()));
    expect(Array.from(maps[3].tensor.dataSync())).toEqual(Array.from(expected[1].dataSync()));
    tf.dispose(expected);
    disposeFeatureMaps(maps);
    // featureMaps' own hooks are gone: a second run records the same, once each.
    const again = featureMaps(m, x);
    expect(again).toHaveLength(4);
    disposeFeatureMaps(again);
    guard.check('featureMaps with a shared layer');
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

describe('featureMapImagesAsync', () => {
  it('gives the same images as featureMapImages for each sample, reading only that sample, leak-free', async () => {
    const m = model();
    const x = tf.tensor4d(randomNchw([2, 1, 6, 6], 4).data, [2, 1, 6, 6]);
    const maps = featureMaps(m, x);
    const guard = leakGuard();
    for (const i of [0, 2, 3]) {
      for (const sample of [0, 1]) {
        expect(await featureMapImagesAsync(maps[i], sample)).toEqual(featureMapImages(maps[i], sample));
      }
    }
    guard.check('featureMapImagesAsync');
    // The map may go as soon as the promise exists: the read works on its own slice.
    const pending = featureMapImagesAsync(maps[0], 1);
    const expected = featureMapImages(maps[0], 1);
    disposeFeatureMaps(maps);
    expect(await pending).toEqual(expected);
    tf.dispose(x);
    m.dispose();
  });

  it('checks its arguments as featureMapImages does, naming itself', async () => {
    const m = model();
    const x = tf.tensor4d(randomNchw([2, 1, 6, 6], 5).data, [2, 1, 6, 6]);
    const maps = featureMaps(m, x);
    await expect(featureMapImagesAsync(maps[6])).rejects.toThrow(
      'featureMapImagesAsync: map 5: expected an image-shaped output [N, C, H, W], found [2, 1] (Linear)',
    );
    await expect(featureMapImagesAsync(maps[0], -1)).rejects.toThrow(
      'featureMapImagesAsync: sample: expected an integer in [0, 2), found -1',
    );
    disposeFeatureMaps(maps);
    await expect(featureMapImagesAsync(maps[0])).rejects.toThrow(
      'featureMapImagesAsync: map 0: expected a feature map with a live tensor',
    );
    tf.dispose(x);
    m.dispose();
  });
});

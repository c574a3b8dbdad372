import {
  fromConfig,
  loadSafetensors,
  type ModuleConfig,
  registeredModules,
  Sequential,
  saveSafetensors,
} from '@descent/layers';
import { leakGuard, tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { randomNchw } from '../test/reference';
import { AvgPool2d, BatchNorm2d, Conv2d, Flatten, GlobalAvgPool2d, MaxPool2d, simpleCnn } from './index';

describe('importing @descent/cnn registers its layers with fromConfig', () => {
  it('lists them', () => {
    expect(registeredModules()).toEqual(
      expect.arrayContaining([
        'AvgPool2d',
        'BatchNorm2d',
        'Conv2d',
        'Flatten',
        'GlobalAvgPool2d',
        'MaxPool2d',
      ]),
    );
  });

  it('toJSON → fromConfig → loadStateDict (through safetensors) gives identical outputs, buffers included', async () => {
    const model = new Sequential([
      new Conv2d(2, 4, [3, 2], { stride: [1, 2], padding: [1, 0], seed: 1 }),
      new BatchNorm2d(4, { momentum: null }),
      new MaxPool2d(2, { stride: 1, padding: 1 }),
      new Conv2d(4, 3, 3, { padding: 'same', bias: false, seed: 2 }),
      new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
      new Sequential([new GlobalAvgPool2d()]),
      new Flatten({ startDim: 1 }),
    ]);
    const x = tf.tensor4d(randomNchw([3, 2, 7, 8], 1).data, [3, 2, 7, 8]);
    // Two training steps, so the running statistics and the batch count are not their initial values.
    tf.dispose([model.forward(x), model.forward(x)]);
    model.eval();
    const config = JSON.parse(JSON.stringify(model)) as ModuleConfig;
    expect(config).toEqual(model.toJSON());
    const dict = model.stateDict();
    const bytes = await saveSafetensors(dict);
    tf.dispose(Object.values(dict));
    const rebuilt = fromConfig(config).eval();
    expect(rebuilt.toJSON()).toEqual(model.toJSON());
    const { tensors } = loadSafetensors(bytes);
    expect(Object.keys(tensors)).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '1.running_mean',
      '1.running_var',
      '1.num_batches_tracked',
      '3.weight',
    ]);
    const guard = leakGuard();
    expect(rebuilt.loadStateDict(tensors)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    guard.check('loadStateDict');
    tf.dispose(Object.values(tensors));
    expect(Array.from((rebuilt as Sequential).at(1).buffers()[2].value.dataSync())).toEqual([2]);
    const a = model.forward(x);
    const b = rebuilt.forward(x);
    expect(b.shape).toEqual([3, 3]);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    rebuilt.dispose();
  });

  it('rebuilds simpleCnn models the same way', () => {
    const model = simpleCnn({
      inputShape: [3, 8, 8],
      classes: 2,
      hidden: 8,
      dropout: 0.5,
      batchNorm: true,
      seed: 9,
    });
    const rebuilt = fromConfig(JSON.parse(JSON.stringify(model)));
    expect(rebuilt.toJSON()).toEqual(model.toJSON());
    const dict = model.stateDict();
    rebuilt.loadStateDict(dict);
    tf.dispose(Object.values(dict));
    model.eval();
    rebuilt.eval();
    const x = tf.tensor4d(randomNchw([2, 3, 8, 8], 2).data, [2, 3, 8, 8]);
    const a = model.forward(x);
    const b = rebuilt.forward(x);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    rebuilt.dispose();
  });

  it('lets the constructors reject a broken config', () => {
    expect(() => fromConfig({ type: 'Conv2d', inChannels: 1, outChannels: 2, kernelSize: 0 })).toThrow(
      'Conv2d(1, 2, 0): kernelSize: expected a positive integer or a pair [height, width] of them, found 0',
    );
    expect(() => fromConfig({ type: 'BatchNorm2d', numFeatures: -1 })).toThrow(
      'BatchNorm2d(-1): numFeatures: expected a positive integer, found -1',
    );
  });
});

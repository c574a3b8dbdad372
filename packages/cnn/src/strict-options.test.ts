import { fromConfig, type Module, type ModuleConfig } from '@descent/layers';
import { tf } from '@descent/tensor';
import { describe, expect, it } from 'vitest';
import { randomNchw } from '../test/reference';
import { AvgPool2d, BatchNorm2d, Conv2d, Flatten, GlobalAvgPool2d, MaxPool2d } from './index';

// Every image layer refuses an option it does not know (a silently ignored option gave PyTorch
// users wrong shapes), records every option it takes in toJSON(), and comes back from fromConfig
// the same, with the same outputs once given the same weights.

describe('strict options for the image layers', () => {
  it('reject an unknown option by name, listing the accepted ones and suggesting camelCase', () => {
    const unknown = (make: () => unknown) =>
      expect(make).toThrow(/options: expected keys among .*found unknown option/);
    unknown(() => new Conv2d(1, 2, 3, { dilations: 2 } as never));
    unknown(() => new MaxPool2d(2, { ceil_mode: true } as never));
    unknown(() => new AvgPool2d(2, { divisorOverride: 3 } as never));
    unknown(() => new Flatten({ start: 1 } as never));
    expect(() => new BatchNorm2d(3, { track_running_stats: false } as never)).toThrow(
      'BatchNorm2d: options: expected keys among "eps", "momentum", "affine", "trackRunningStats", found unknown option "track_running_stats" (did you mean "trackRunningStats"?)',
    );
    expect(() => new MaxPool2d(2, { ceil_mode: true } as never)).toThrow('(did you mean "ceilMode"?)');
    expect(() => new Conv2d(1, 2, 3, { padding_mode: 'zeros' } as never)).toThrow(
      'Conv2d: options: expected keys among "stride", "padding", "dilation", "groups", "bias", "init", "biasInit", "seed", found unknown option "padding_mode"',
    );
  });

  it('take Flatten’s dimensions positionally, as PyTorch does', () => {
    expect(new Flatten(0, 2).toJSON()).toEqual({ type: 'Flatten', startDim: 0, endDim: 2 });
    expect(new Flatten(2).toJSON()).toEqual({ type: 'Flatten', startDim: 2, endDim: -1 });
    expect(new Flatten({ endDim: 2 }).toJSON()).toEqual({ type: 'Flatten', startDim: 1, endDim: 2 });
  });

  it('refuse a config key fromConfig does not know, instead of half-reading the config', () => {
    expect(() =>
      fromConfig({ type: 'Conv2d', inChannels: 1, outChannels: 2, kernelSize: 3, dilatation: 2 }),
    ).toThrow(
      'fromConfig: Conv2d config: options: expected keys among "inChannels", "outChannels", "kernelSize", "stride", "padding", "dilation", "groups", "bias", found unknown option "dilatation"',
    );
    expect(() => fromConfig({ type: 'GlobalAvgPool2d', size: 1 })).toThrow(
      'fromConfig: GlobalAvgPool2d config: options: expected keys among (none), found unknown option "size"',
    );
    expect(() => fromConfig({ type: 'BatchNorm2d', numFeatures: 2, track_running_stats: false })).toThrow(
      '(did you mean "trackRunningStats"?)',
    );
  });

  const layers: { name: string; make: () => Module; shape: [number, number, number, number] }[] = [
    {
      name: 'Conv2d, every option off its default',
      make: () =>
        new Conv2d(4, 6, [3, 2], {
          stride: [2, 1],
          padding: [2, 1],
          dilation: [2, 1],
          groups: 2,
          bias: false,
          seed: 1,
        }),
      shape: [2, 4, 9, 7],
    },
    {
      name: "Conv2d 'same', dilation 2",
      make: () => new Conv2d(2, 2, 3, { padding: 'same', dilation: 2, seed: 2 }),
      shape: [1, 2, 7, 7],
    },
    {
      name: 'MaxPool2d',
      make: () => new MaxPool2d([3, 2], { stride: [2, 1], padding: [1, 1], ceilMode: true }),
      shape: [1, 2, 8, 7],
    },
    {
      name: 'AvgPool2d',
      make: () => new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
      shape: [1, 2, 8, 8],
    },
    {
      name: 'BatchNorm2d',
      make: () => new BatchNorm2d(3, { eps: 1e-3, momentum: null, affine: false, trackRunningStats: false }),
      shape: [2, 3, 4, 4],
    },
    { name: 'GlobalAvgPool2d', make: () => new GlobalAvgPool2d(), shape: [2, 3, 4, 4] },
    { name: 'Flatten', make: () => new Flatten(2, 3), shape: [2, 3, 4, 4] },
  ];
  for (const { name, make, shape } of layers) {
    it(`round-trip through toJSON and fromConfig: ${name}`, () => {
      const before = tf.memory().numTensors;
      const layer = make();
      const config = JSON.parse(JSON.stringify(layer)) as ModuleConfig;
      const rebuilt = fromConfig(config);
      expect(rebuilt.constructor).toBe(layer.constructor);
      expect(rebuilt.toJSON()).toEqual(layer.toJSON());
      const dict = layer.stateDict();
      rebuilt.loadStateDict(dict);
      tf.dispose(Object.values(dict));
      const x = tf.tensor4d(randomNchw(shape, 3).data, shape);
      const [a, b] = [layer.forward(x), rebuilt.forward(x)];
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([x, a, b]);
      layer.dispose();
      rebuilt.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

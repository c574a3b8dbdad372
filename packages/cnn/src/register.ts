import { configOptions, registerModule } from '@descent/layers';
import { AvgPool2d, type AvgPool2dOptions } from './avg-pool2d';
import { BatchNorm2d, type BatchNorm2dOptions } from './batch-norm2d';
import { Conv2d, type Conv2dOptions } from './conv2d';
import { Flatten, type FlattenOptions } from './flatten';
import { GlobalAvgPool2d } from './global-avg-pool2d';
import { MaxPool2d } from './max-pool2d';
import type { Size2 } from './options';
import type { Pool2dOptions } from './pool-options';

/**
 * Teaches @descent/layers' fromConfig the layers of this package, so model bundles holding them
 * load. Importing @descent/cnn does this already; calling it again is harmless.
 */
export function registerCnnModules(): void {
  // Each factory names the keys its type's toJSON() records, so an unknown key is refused by
  // name; the constructors validate the values.
  registerModule('Conv2d', (c) => {
    const known = [
      'inChannels',
      'outChannels',
      'kernelSize',
      'stride',
      'padding',
      'dilation',
      'groups',
      'bias',
    ];
    const { inChannels, outChannels, kernelSize, ...options } = configOptions(c, known);
    return new Conv2d(
      inChannels as number,
      outChannels as number,
      kernelSize as Size2,
      options as Conv2dOptions,
    );
  });
  registerModule('MaxPool2d', (c) => {
    const { kernelSize, ...options } = configOptions(c, ['kernelSize', 'stride', 'padding', 'ceilMode']);
    return new MaxPool2d(kernelSize as Size2, options as Pool2dOptions);
  });
  registerModule('AvgPool2d', (c) => {
    const known = ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad'];
    const { kernelSize, ...options } = configOptions(c, known);
    return new AvgPool2d(kernelSize as Size2, options as AvgPool2dOptions);
  });
  registerModule('GlobalAvgPool2d', (c) => {
    configOptions(c, []);
    return new GlobalAvgPool2d();
  });
  registerModule('Flatten', (c) => new Flatten(configOptions(c, ['startDim', 'endDim']) as FlattenOptions));
  registerModule('BatchNorm2d', (c) => {
    const known = ['numFeatures', 'eps', 'momentum', 'affine', 'trackRunningStats'];
    const { numFeatures, ...options } = configOptions(c, known);
    return new BatchNorm2d(numFeatures as number, options as BatchNorm2dOptions);
  });
}

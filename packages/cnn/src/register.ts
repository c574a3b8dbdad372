import { registerModule } from '@descent/layers';
import { AvgPool2d } from './avg-pool2d';
import { BatchNorm2d } from './batch-norm2d';
import { Conv2d } from './conv2d';
import { Flatten } from './flatten';
import { GlobalAvgPool2d } from './global-avg-pool2d';
import { MaxPool2d } from './max-pool2d';
import type { Padding2, Size2 } from './options';

/**
 * Teaches @descent/layers' fromConfig the layers of this package, so model bundles holding them
 * load. Importing @descent/cnn does this already; calling it again is harmless.
 */
export function registerCnnModules(): void {
  // The constructors validate; a factory only picks the options out of the config.
  registerModule(
    'Conv2d',
    (c) =>
      new Conv2d(c['inChannels'] as number, c['outChannels'] as number, c['kernelSize'] as Size2, {
        stride: c['stride'] as Size2 | undefined,
        padding: c['padding'] as Padding2 | 'same' | undefined,
        bias: (c['bias'] ?? true) as boolean,
      }),
  );
  registerModule(
    'MaxPool2d',
    (c) =>
      new MaxPool2d(c['kernelSize'] as Size2, {
        stride: c['stride'] as Size2 | undefined,
        padding: c['padding'] as Padding2 | undefined,
      }),
  );
  registerModule(
    'AvgPool2d',
    (c) =>
      new AvgPool2d(c['kernelSize'] as Size2, {
        stride: c['stride'] as Size2 | undefined,
        padding: c['padding'] as Padding2 | undefined,
        countIncludePad: c['countIncludePad'] as boolean | undefined,
      }),
  );
  registerModule('GlobalAvgPool2d', () => new GlobalAvgPool2d());
  registerModule(
    'Flatten',
    (c) =>
      new Flatten({
        startDim: c['startDim'] as number | undefined,
        endDim: c['endDim'] as number | undefined,
      }),
  );
  registerModule(
    'BatchNorm2d',
    (c) =>
      new BatchNorm2d(c['numFeatures'] as number, {
        eps: c['eps'] as number | undefined,
        momentum: c['momentum'] as number | null | undefined,
        affine: c['affine'] as boolean | undefined,
        trackRunningStats: c['trackRunningStats'] as boolean | undefined,
      }),
  );
}

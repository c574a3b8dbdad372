import { BatchNorm, type BatchNormOptions } from '@descent/layers';
import type { tf } from '@descent/tensor';
import { checkImages } from './options';

/** Options of BatchNorm2d; the same as BatchNorm's (eps, momentum, affine, ...). */
export type BatchNorm2dOptions = BatchNormOptions;

/**
 * Batch normalisation of images, like PyTorch's nn.BatchNorm2d: each channel of [N, C, H, W]
 * normalised over the batch and the image (n = N·H·W values per channel). The formula, the
 * running statistics and the options are BatchNorm's (@descent/layers, batch-norm.ts).
 */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNorm2dOptions = {}) {
    super('BatchNorm2d', numFeatures, options);
  }

  forward(x: tf.Tensor): tf.Tensor {
    return this.normalise(checkImages(this.label, x, this.numFeatures), [0, 2, 3]);
  }
}

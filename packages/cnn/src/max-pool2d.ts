import { Module, type ModuleConfig } from '@descent/layers';
import { maxPool2dChannelsLast, tf } from '@descent/tensor';
import { checkImages, checkWindowFits, type Size2, sizeText } from './options';
import { type Pool2dOptions, poolGeometry } from './pool-options';

/**
 * Keeps the largest value of each window, channel by channel ("did we see this feature in this
 * region?"), like PyTorch's nn.MaxPool2d; padding counts as -∞. [N, C, H, W] → [N, C, H', W'].
 */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  private readonly label: string;

  constructor(kernelSize: Size2, options: Pool2dOptions = {}) {
    super();
    const start = `MaxPool2d(${Array.isArray(kernelSize) ? `[${kernelSize.join(', ')}]` : kernelSize})`;
    const { kernelSize: kernel, stride, padding } = poolGeometry(start, kernelSize, options);
    this.kernelSize = kernel;
    this.stride = stride;
    this.padding = padding;
    this.label = `MaxPool2d(${sizeText(kernel)})`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const images = checkImages(this.label, x);
    checkWindowFits(this.label, images, this.kernelSize, this.padding);
    // Padding counts as -∞ (tfjs leaves it out of the max); see @descent/tensor's maxPool2dChannelsLast.
    return pool2d(images, (planes) => maxPool2dChannelsLast(planes, this));
  }

  override toJSON(): ModuleConfig {
    return {
      type: 'MaxPool2d',
      kernelSize: [...this.kernelSize],
      stride: [...this.stride],
      padding: [...this.padding],
    };
  }
}

/**
 * Pools each channel on its own, so NCHW needs no transpose: [N, C, H, W] is reshaped (free) into
 * N·C one-channel NHWC images [N·C, H, W, 1], pooled, and reshaped back.
 */
export function pool2d(x: tf.Tensor4D, pool: (planes: tf.Tensor4D) => tf.Tensor4D): tf.Tensor4D {
  const [n, c, h, w] = x.shape;
  return tf.tidy(() => {
    const y = pool(tf.reshape(x, [n * c, h, w, 1]));
    return tf.reshape(y, [n, c, y.shape[1], y.shape[2]]);
  });
}

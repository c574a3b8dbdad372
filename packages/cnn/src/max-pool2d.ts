import { Module, type ModuleConfig } from '@descent/layers';
import { checkOptions, maxPool2dChannelsLast, tf } from '@descent/tensor';
import { checkImages, checkWindowFits, type Size2, sizeText } from './options';
import { ceilModeOverhang, type Pool2dOptions, poolGeometry } from './pool-options';

/**
 * Keeps the largest value of each window, channel by channel ("did we see this feature in this
 * region?"), like PyTorch's nn.MaxPool2d; padding counts as -∞. [N, C, H, W] → [N, C, H', W'].
 */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly ceilMode: boolean;
  private readonly label: string;

  constructor(kernelSize: Size2, options: Pool2dOptions = {}) {
    super();
    const start = `MaxPool2d(${Array.isArray(kernelSize) ? `[${kernelSize.join(', ')}]` : kernelSize})`;
    checkOptions('MaxPool2d', options, ['stride', 'padding', 'ceilMode']);
    const { kernelSize: kernel, stride, padding, ceilMode } = poolGeometry(start, kernelSize, options);
    this.kernelSize = kernel;
    this.stride = stride;
    this.padding = padding;
    this.ceilMode = ceilMode;
    this.label = `MaxPool2d(${sizeText(kernel)})`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const images = checkImages(this.label, x);
    checkWindowFits(this.label, images, this.kernelSize, this.padding);
    const [below, right] = ceilModeOverhang(images, this);
    // Padding counts as -∞ (tfjs leaves it out of the max); see @descent/tensor's maxPool2dChannelsLast.
    if (below === 0 && right === 0) return pool2d(images, (planes) => maxPool2dChannelsLast(planes, this));
    // ceilMode's last windows overhang the padded input: what they reach past it is -∞ too.
    const overhung = (planes: tf.Tensor4D) =>
      tf.pad(
        planes,
        [
          [0, 0],
          [0, below],
          [0, right],
          [0, 0],
        ],
        Number.NEGATIVE_INFINITY,
      );
    return pool2d(images, (planes) => maxPool2dChannelsLast(overhung(planes), this));
  }

  override toJSON(): ModuleConfig {
    return {
      type: 'MaxPool2d',
      kernelSize: [...this.kernelSize],
      stride: [...this.stride],
      padding: [...this.padding],
      ceilMode: this.ceilMode,
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

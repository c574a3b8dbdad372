import { Module, type ModuleConfig } from '@descent/layers';
import { argumentError, tf } from '@descent/tensor';
import { pool2d } from './max-pool2d';
import { checkImages, checkWindowFits, explicitPadding, type Size2, sizeText } from './options';
import { type Pool2dOptions, poolGeometry } from './pool-options';

export interface AvgPool2dOptions extends Pool2dOptions {
  /** Divide by the whole window, padding zeros included (PyTorch's default), or only by the real pixels. */
  countIncludePad?: boolean;
}

/** Averages each window, channel by channel, like PyTorch's nn.AvgPool2d. [N, C, H, W] → [N, C, H', W']. */
export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly countIncludePad: boolean;
  private readonly label: string;

  constructor(kernelSize: Size2, options: AvgPool2dOptions = {}) {
    super();
    const start = `AvgPool2d(${Array.isArray(kernelSize) ? `[${kernelSize.join(', ')}]` : kernelSize})`;
    const { kernelSize: kernel, stride, padding } = poolGeometry(start, kernelSize, options);
    const { countIncludePad = true } = options;
    if (typeof countIncludePad !== 'boolean')
      throw argumentError(`${start}: countIncludePad`, 'a boolean', countIncludePad);
    this.kernelSize = kernel;
    this.stride = stride;
    this.padding = padding;
    this.countIncludePad = countIncludePad;
    this.label = `AvgPool2d(${sizeText(kernel)})`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const images = checkImages(this.label, x);
    checkWindowFits(this.label, images, this.kernelSize, this.padding);
    return pool2d(images, (planes) => this.poolNhwc(planes));
  }

  /** forward for NHWC images inside a channels-last run of a Sequential: [N, H, W, C] → [N, H', W', C]. */
  forwardChannelsLast(x: tf.Tensor): tf.Tensor {
    const images = checkImages(this.label, x, undefined, 'nhwc');
    checkWindowFits(this.label, images, this.kernelSize, this.padding, 'nhwc');
    return tf.tidy(() => this.poolNhwc(images));
  }

  private poolNhwc(x: tf.Tensor4D): tf.Tensor4D {
    const pool = (t: tf.Tensor4D) => tf.avgPool(t, this.kernelSize, this.stride, 'valid');
    if (this.padding[0] === 0 && this.padding[1] === 0) return pool(x);
    // Padding is made of real zeros: tfjs's own padded avgPool leaves the padding out of the count
    // in the forward but not in its gradient. Without countIncludePad, divide by the share of
    // real pixels in each window instead.
    const pad = (t: tf.Tensor4D) => tf.pad(t, explicitPadding(this.padding));
    const sums = pool(pad(x));
    return this.countIncludePad ? sums : tf.div(sums, pool(pad(tf.onesLike(x))));
  }

  override toJSON(): ModuleConfig {
    return {
      type: 'AvgPool2d',
      kernelSize: [...this.kernelSize],
      stride: [...this.stride],
      padding: [...this.padding],
      countIncludePad: this.countIncludePad,
    };
  }
}

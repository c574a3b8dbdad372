import { Module, type ModuleConfig } from '@descent/layers';
import { argumentError, avgPool2dChannelsLast, type tf } from '@descent/tensor';
import { pool2d } from './max-pool2d';
import { checkImages, checkWindowFits, type Size2, sizeText } from './options';
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
    // Padding is made of real zeros, as in PyTorch; see @descent/tensor's avgPool2dChannelsLast.
    return pool2d(images, (planes) => avgPool2dChannelsLast(planes, this, this.countIncludePad));
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

import { Module, type ModuleConfig } from '@descent/layers';
import { argumentError, avgPool2dChannelsLast, checkOptions, tf } from '@descent/tensor';
import { pool2d } from './max-pool2d';
import { checkImages, checkWindowFits, type Size2, sizeText } from './options';
import { ceilModeOverhang, type Pool2dOptions, poolGeometry } from './pool-options';

/** Options of AvgPool2d: the pooling geometry plus how padding counts in the mean. */
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
  readonly ceilMode: boolean;
  private readonly label: string;

  constructor(kernelSize: Size2, options: AvgPool2dOptions = {}) {
    super();
    const start = `AvgPool2d(${Array.isArray(kernelSize) ? `[${kernelSize.join(', ')}]` : kernelSize})`;
    checkOptions('AvgPool2d', options, ['stride', 'padding', 'ceilMode', 'countIncludePad']);
    const { kernelSize: kernel, stride, padding, ceilMode } = poolGeometry(start, kernelSize, options);
    const { countIncludePad = true } = options;
    if (typeof countIncludePad !== 'boolean')
      throw argumentError(`${start}: countIncludePad`, 'a boolean', countIncludePad);
    this.kernelSize = kernel;
    this.stride = stride;
    this.padding = padding;
    this.countIncludePad = countIncludePad;
    this.ceilMode = ceilMode;
    this.label = `AvgPool2d(${sizeText(kernel)})`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const images = checkImages(this.label, x);
    checkWindowFits(this.label, images, this.kernelSize, this.padding);
    const overhang = ceilModeOverhang(images, this);
    if (overhang[0] > 0 || overhang[1] > 0)
      return pool2d(images, (planes) => this.ceilModePool(planes, overhang));
    // Padding is made of real zeros, as in PyTorch; see @descent/tensor's avgPool2dChannelsLast.
    return pool2d(images, (planes) => avgPool2dChannelsLast(planes, this, this.countIncludePad));
  }

  /**
   * ceilMode's last windows overhang the padded input. As in PyTorch, the overhang is never
   * counted: each window's sum (zeros everywhere outside the image) is divided by the part of the
   * window inside the padded input, or inside the image itself without countIncludePad.
   */
  private ceilModePool(planes: tf.Tensor4D, [below, right]: [number, number]): tf.Tensor4D {
    const [, h, w] = planes.shape;
    const [kh, kw] = this.kernelSize;
    const [sh, sw] = this.stride;
    const [ph, pw] = this.padding;
    const counts = (size: number, k: number, s: number, p: number, length: number) =>
      Array.from({ length }, (_, i) => {
        const start = i * s - p;
        const end = Math.min(start + k, size + p);
        return this.countIncludePad ? end - start : Math.min(end, size) - Math.max(start, 0);
      });
    return tf.tidy(() => {
      const padded = tf.pad(planes, [
        [0, 0],
        [ph, ph + below],
        [pw, pw + right],
        [0, 0],
      ]);
      const sums = tf.mul(tf.avgPool(padded, this.kernelSize, this.stride, 'valid'), kh * kw);
      const [, oh, ow] = sums.shape;
      const rows = counts(h, kh, sh, ph, oh);
      const cols = counts(w, kw, sw, pw, ow);
      const divisor = tf.tensor4d(
        rows.flatMap((r) => cols.map((c) => r * c)),
        [1, oh, ow, 1],
      );
      return tf.div(sums, divisor);
    });
  }

  override toJSON(): ModuleConfig {
    return {
      type: 'AvgPool2d',
      kernelSize: [...this.kernelSize],
      stride: [...this.stride],
      padding: [...this.padding],
      countIncludePad: this.countIncludePad,
      ceilMode: this.ceilMode,
    };
  }
}

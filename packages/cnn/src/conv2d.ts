import {
  type Initializer,
  kaimingUniform,
  Module,
  type ModuleConfig,
  type Parameter,
  uniform,
} from '@descent/layers';
import {
  argumentError,
  checkOptions,
  DescentArgumentError,
  type RandomSource,
  tf,
  toGenerator,
} from '@descent/tensor';
import { dilateKernel } from './dilate-kernel';
import { initParameter } from './init-parameter';
import {
  checkImages,
  checkWindowFits,
  convPadding,
  type Padding2,
  paddingPair,
  pair,
  type Size2,
  sizeText,
} from './options';

/** Options of Conv2d, as in PyTorch's nn.Conv2d: stride, padding, dilation and the like. */
export interface Conv2dOptions {
  stride?: Size2;
  /** Zeros added on each side: a number, [height, width], 'valid' (0) or 'same' (stride 1 only, as in PyTorch). */
  padding?: Padding2 | 'same';
  /** Spacing between the kernel's taps (1: adjacent); a 3×3 kernel with dilation 2 spans 5×5. */
  dilation?: Size2;
  /**
   * Channels split into this many groups, each convolved with its own filters: inChannels and
   * outChannels must be multiples; groups = inChannels is a depthwise convolution.
   */
  groups?: number;
  bias?: boolean;
  /** Weight initialiser; PyTorch's default is kaiming uniform with a = √5, i.e. U(-1/√fanIn, 1/√fanIn). */
  init?: Initializer;
  /** Bias initialiser; PyTorch's default is U(-1/√fanIn, 1/√fanIn). */
  biasInit?: Initializer;
  /** A seed or Generator for the initial weights; without one the global generator (manualSeed) is used. */
  seed?: RandomSource;
}

/**
 * A 2-D convolution like PyTorch's nn.Conv2d: input [N, inChannels, H, W] → [N, outChannels, H', W'],
 * weight [outChannels, inChannels / groups, kh, kw], bias [outChannels]. Like every deep-learning library it
 * computes a cross-correlation (the kernel is not flipped). Each filter is one small set of weights
 * slid over the whole image: that is parameter sharing.
 *
 * tfjs convolves channels-last, so the forward transposes the input to NHWC and the weight to
 * [kh, kw, in, out], and the result back. `compile(model)` skips those transposes inside a chain
 * of image layers, which it runs channels-last (lowerings.ts).
 */
export class Conv2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  /** [height, width] zeros per side, or 'same'. */
  readonly padding: [number, number] | 'same';
  readonly dilation: [number, number];
  readonly groups: number;
  private readonly label: string;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Size2,
    options: Conv2dOptions = {},
  ) {
    super();
    const start = `Conv2d(${inChannels}, ${outChannels}, ${Array.isArray(kernelSize) ? `[${kernelSize}]` : kernelSize})`;
    if (!Number.isInteger(inChannels) || inChannels <= 0)
      throw argumentError(`${start}: inChannels`, 'a positive integer', inChannels);
    if (!Number.isInteger(outChannels) || outChannels <= 0)
      throw argumentError(`${start}: outChannels`, 'a positive integer', outChannels);
    this.kernelSize = pair(`${start}: kernelSize`, kernelSize);
    this.label = `Conv2d(${inChannels}, ${outChannels}, ${sizeText(this.kernelSize)})`;
    const known = ['stride', 'padding', 'dilation', 'groups', 'bias', 'init', 'biasInit', 'seed'];
    checkOptions('Conv2d', options, known);
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, seed } = options;
    this.stride = pair(`${this.label}: stride`, stride);
    this.dilation = pair(`${this.label}: dilation`, dilation);
    if (!Number.isInteger(groups) || groups <= 0 || inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw argumentError(
        `${this.label}: groups`,
        'a positive integer dividing inChannels and outChannels',
        groups,
      );
    }
    this.groups = groups;
    this.padding = padding === 'same' ? 'same' : paddingPair(`${this.label}: padding`, padding);
    if (this.padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
      throw new DescentArgumentError(
        `${this.label}: padding: 'same' needs stride 1 (as in PyTorch), found stride [${this.stride.join(', ')}]`,
      );
    }
    if (typeof bias !== 'boolean') throw argumentError(`${this.label}: bias`, 'a boolean', bias);

    const shape = [outChannels, inChannels / groups, ...this.kernelSize];
    const bound = 1 / Math.sqrt((inChannels / groups) * this.kernelSize[0] * this.kernelSize[1]);
    const init = options.init ?? ((s, source) => kaimingUniform(s, source, { a: Math.sqrt(5) }));
    const generator = toGenerator(seed);
    this.weight = initParameter(`${this.label}: weight initialiser`, init, shape, generator);
    this.bias = bias
      ? initParameter(
          `${this.label}: bias initialiser`,
          options.biasInit ?? uniform(-bound, bound),
          [outChannels],
          generator,
        )
      : null;
  }

  /** The window the kernel spans: its size with the dilation's gaps. */
  get receptiveField(): [number, number] {
    const [kh, kw] = this.kernelSize;
    const [dh, dw] = this.dilation;
    return [(kh - 1) * dh + 1, (kw - 1) * dw + 1];
  }

  forward(x: tf.Tensor): tf.Tensor {
    const images = checkImages(this.label, x, this.inChannels);
    if (this.padding !== 'same') checkWindowFits(this.label, images, this.receptiveField, this.padding);
    const { bias, groups, stride } = this;
    const padding = convPadding(this.padding);
    return tf.tidy(() => {
      const nhwc = tf.transpose(images, [0, 2, 3, 1]) as tf.Tensor4D;
      const kernel = dilateKernel(this.weight.value as tf.Tensor4D, this.dilation);
      let y: tf.Tensor4D;
      if (groups === 1) {
        y = tf.conv2d(nhwc, tf.transpose(kernel, [2, 3, 1, 0]) as tf.Tensor4D, stride, padding);
      } else if (groups === this.inChannels) {
        // Depthwise: output channel c·m + j filters input channel c alone, as tfjs's kernel orders them.
        const m = this.outChannels / groups;
        const [, , kh, kw] = kernel.shape;
        const filter = tf.transpose(tf.reshape(kernel, [groups, m, kh, kw]), [2, 3, 0, 1]) as tf.Tensor4D;
        y = tf.depthwiseConv2d(nhwc, filter, stride, padding);
      } else {
        // Each group of input channels convolved with its own block of filters, the results side by side.
        const inputs = tf.split(nhwc, groups, 3) as tf.Tensor4D[];
        const kernels = tf.split(kernel, groups, 0);
        const outputs = inputs.map((part, g) =>
          tf.conv2d(part, tf.transpose(kernels[g], [2, 3, 1, 0]) as tf.Tensor4D, stride, padding),
        );
        y = tf.concat(outputs, 3);
      }
      return tf.transpose(bias ? tf.add(y, bias.value) : y, [0, 3, 1, 2]);
    });
  }

  override toJSON(): ModuleConfig {
    return {
      type: 'Conv2d',
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: [...this.kernelSize],
      stride: [...this.stride],
      padding: this.padding === 'same' ? 'same' : [...this.padding],
      dilation: [...this.dilation],
      groups: this.groups,
      bias: this.bias !== null,
    };
  }
}

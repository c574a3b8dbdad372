import {
  type Initializer,
  kaimingUniform,
  Module,
  type ModuleConfig,
  type Parameter,
  uniform,
} from '@descent/layers';
import { argumentError, DescentArgumentError, type RandomSource, tf, toGenerator } from '@descent/tensor';
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

export interface Conv2dOptions {
  stride?: Size2;
  /** Zeros added on each side: a number, [height, width], 'valid' (0) or 'same' (stride 1 only, as in PyTorch). */
  padding?: Padding2 | 'same';
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
 * weight [outChannels, inChannels, kh, kw], bias [outChannels]. Like every deep-learning library it
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
    const { stride = 1, padding = 0, bias = true, seed } = options;
    this.stride = pair(`${this.label}: stride`, stride);
    this.padding = padding === 'same' ? 'same' : paddingPair(`${this.label}: padding`, padding);
    if (this.padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
      throw new DescentArgumentError(
        `${this.label}: padding: 'same' needs stride 1 (as in PyTorch), found stride [${this.stride.join(', ')}]`,
      );
    }
    if (typeof bias !== 'boolean') throw argumentError(`${this.label}: bias`, 'a boolean', bias);

    const shape = [outChannels, inChannels, ...this.kernelSize];
    const bound = 1 / Math.sqrt(inChannels * this.kernelSize[0] * this.kernelSize[1]);
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

  forward(x: tf.Tensor): tf.Tensor {
    const images = checkImages(this.label, x, this.inChannels);
    if (this.padding !== 'same') checkWindowFits(this.label, images, this.kernelSize, this.padding);
    const bias = this.bias;
    return tf.tidy(() => {
      const nhwc = tf.transpose(images, [0, 2, 3, 1]);
      const filter = tf.transpose(this.weight.value, [2, 3, 1, 0]) as tf.Tensor4D;
      const y = tf.conv2d(nhwc, filter, this.stride, convPadding(this.padding));
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
      bias: this.bias !== null,
    };
  }
}

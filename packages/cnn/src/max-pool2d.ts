import { Module, type ModuleConfig } from '@descent/layers';
import { tf } from '@descent/tensor';
import { checkImages, checkWindowFits, explicitPadding, type Size2, sizeText } from './options';
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
    const pad = explicitPadding(this.padding);
    return pool2d(images, (planes) => maxPool(planes, this.kernelSize, this.stride, pad));
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

/**
 * tf.maxPool with a gradient that is right on every backend. tfjs-backend-wasm 4.22's MaxPoolGrad
 * sends a window's gradient to its first cell when every value in the window is negative (found by
 * this package's finite-difference tests). So the backward pass runs the kernel on a copy shifted
 * to values of at least 1, which has its maxima in the same places; the forward is tf.maxPool's.
 */
function maxPool(
  planes: tf.Tensor4D,
  kernel: [number, number],
  stride: [number, number],
  pad: ReturnType<typeof explicitPadding>,
): tf.Tensor4D {
  const pool = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, kernel, stride, pad);
  const withGrad = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([x]);
    return {
      value: pool(x),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const shifted = tf.sub(saved[0], tf.sub(tf.min(saved[0]), 1));
        const attrs = { filterSize: kernel, strides: stride, pad } as unknown as tf.NamedAttrMap;
        return tf
          .engine()
          .runKernel(tf.MaxPoolGrad, { dy, input: shifted, output: pool(shifted) }, attrs) as tf.Tensor;
      },
    };
  });
  return withGrad(planes) as tf.Tensor4D;
}

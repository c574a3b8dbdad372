import * as tf from '@tensorflow/tfjs-core';
import { fusedRelu } from '../fusion/native-elementwise';
import { fusedMaxPool2d } from '../fusion/native-max-pool';

/** Window geometry as PyTorch's pooling layers take it: [height, width] each, padding per side. */
export interface Pool2dGeometry {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
}

type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

const explicit = ([h, w]: [number, number]): ExplicitPad => [
  [0, 0],
  [h, h],
  [w, w],
  [0, 0],
];

/**
 * Max pooling of NHWC images [N, H, W, C] → [N, H', W', C] with PyTorch's semantics: padding
 * counts as -∞ (tfjs leaves it out of the max). On wasm the gradient runs this package's
 * MaxPoolGrad, which (unlike tfjs-backend-wasm 4.22's) is right for windows whose values are all
 * negative. With `relu`, relu(maxPool(x)), which equals maxPool(relu(x)) exactly, gradients
 * included, on a quarter of the values for 2×2 windows: a compile step runs a ReLU just before a
 * max pool this way. Where descent's native kernels run, the pool and its ReLU are one native call
 * each way (fusedMaxPool2d).
 */
export function maxPool2dChannelsLast(
  x: tf.Tensor4D,
  { kernelSize, stride, padding }: Pool2dGeometry,
  relu = false,
): tf.Tensor4D {
  const fused = fusedMaxPool2d(x, kernelSize, stride, padding, relu);
  if (fused) return fused;
  const pool = () => tf.maxPool(x, kernelSize, stride, explicit(padding));
  if (!relu) return pool();
  return tf.tidy(() => {
    const pooled = pool();
    return (fusedRelu(pooled) ?? tf.relu(pooled)) as tf.Tensor4D;
  });
}

/**
 * Average pooling of NHWC images [N, H, W, C] → [N, H', W', C] with PyTorch's semantics: padding
 * is made of real zeros (tfjs's own padded avgPool leaves it out of the count in the forward but
 * not in its gradient), divided by the whole window with `countIncludePad` (PyTorch's default),
 * or by the share of real pixels in each window without.
 */
export function avgPool2dChannelsLast(
  x: tf.Tensor4D,
  { kernelSize, stride, padding }: Pool2dGeometry,
  countIncludePad = true,
): tf.Tensor4D {
  const pool = (t: tf.Tensor4D) => tf.avgPool(t, kernelSize, stride, 'valid');
  if (padding[0] === 0 && padding[1] === 0) return pool(x);
  return tf.tidy(() => {
    const pad = (t: tf.Tensor4D) => tf.pad(t, explicit(padding));
    const sums = pool(pad(x));
    return countIncludePad ? sums : tf.div(sums, pool(pad(tf.onesLike(x))));
  });
}

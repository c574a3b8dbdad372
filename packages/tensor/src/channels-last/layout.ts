import * as tf from '@tensorflow/tfjs-core';

/** Whether NCHW ↔ NHWC moves no data: one channel, or a 1×1 image. */
const sameOrder = ([, a, b, c]: number[]) => a === 1 || b * c === 1;

/**
 * [N, C, H, W] → [N, H, W, C], PyTorch's `memory_format=torch.channels_last`: tfjs convolves and
 * pools channels-last. A reshape where the order of the values does not change.
 */
export function toChannelsLast(x: tf.Tensor4D): tf.Tensor4D {
  const [n, c, h, w] = x.shape;
  return sameOrder(x.shape) ? tf.reshape(x, [n, h, w, c]) : tf.transpose(x, [0, 2, 3, 1]);
}

/** [N, H, W, C] → [N, C, H, W]; a reshape where the order of the values does not change. */
export function toChannelsFirst(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  return sameOrder([n, c, h, w]) ? tf.reshape(x, [n, c, h, w]) : tf.transpose(x, [0, 3, 1, 2]);
}

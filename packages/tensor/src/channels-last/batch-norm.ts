import * as tf from '@tensorflow/tfjs-core';

/** Per-channel statistics of NHWC images: the mean and the biased variance over N, H and W. */
export interface ChannelMoments {
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** The mean and biased variance of each channel of NHWC images [N, H, W, C], as batch norm uses them. */
export function channelMomentsChannelsLast(x: tf.Tensor4D): ChannelMoments {
  return tf.tidy(() => {
    const mean = tf.mean(x, [0, 1, 2]) as tf.Tensor1D;
    const variance = tf.mean(tf.square(tf.sub(x, mean)), [0, 1, 2]) as tf.Tensor1D;
    return { mean, variance };
  });
}

/**
 * Batch normalisation of NHWC images [N, H, W, C] with given per-channel statistics:
 * (x - mean) / √(variance + eps) · weight + bias, the [C] vectors broadcast along the last axis as
 * they are. The same ops in the same order as BatchNorm2d's NCHW forward, so values agree bit for bit.
 */
export function batchNormChannelsLast(
  x: tf.Tensor4D,
  { mean, variance }: ChannelMoments,
  weight: tf.Tensor1D | null,
  bias: tf.Tensor1D | null,
  eps: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    const normalised = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))) as tf.Tensor4D;
    if (!weight || !bias) return normalised;
    return tf.add(tf.mul(normalised, weight), bias) as tf.Tensor4D;
  });
}

import { type RandomSource, toGenerator } from '@descent/random';
import * as tf from '@tensorflow/tfjs-core';

// The generator itself lives in @descent/random, shared with the tensor-free packages, so one
// seed gives one stream everywhere; tensor re-exports it and adds the tfjs ops seeded from it.
export { defaultGenerator, Generator, manualSeed, type RandomSource, toGenerator } from '@descent/random';

/** A float32 tensor of normal random values with mean 0 and standard deviation `std`, drawn from `source`. */
export function randn(shape: number[], source?: RandomSource, std = 1): tf.Tensor {
  return tf.randomNormal(shape, 0, std, 'float32', toGenerator(source).nextSeed());
}

/** A float32 tensor of uniform random values in [low, high), drawn from `source` (a seed or Generator). */
export function rand(shape: number[], source?: RandomSource, low = 0, high = 1): tf.Tensor {
  return tf.randomUniform(shape, low, high, 'float32', toGenerator(source).nextSeed());
}

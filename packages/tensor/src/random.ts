import { type RandomSource, toGenerator } from '@descent/random';
import * as tf from '@tensorflow/tfjs-core';

// The generator itself lives in @descent/random, shared with the tensor-free packages, so one
// seed gives one stream everywhere; tensor re-exports it and adds the tfjs ops seeded from it.
export { defaultGenerator, Generator, manualSeed, type RandomSource, toGenerator } from '@descent/random';

export function randn(shape: number[], source?: RandomSource, std = 1): tf.Tensor {
  return tf.randomNormal(shape, 0, std, 'float32', toGenerator(source).nextSeed());
}

export function rand(shape: number[], source?: RandomSource, low = 0, high = 1): tf.Tensor {
  return tf.randomUniform(shape, low, high, 'float32', toGenerator(source).nextSeed());
}

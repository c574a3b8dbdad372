import * as tf from '@tensorflow/tfjs-core';
import { argumentError } from './errors';

/**
 * A small seeded generator (mulberry32). It hands out floats for host-side sampling and
 * integer seeds for tfjs's own seeded ops, so one seed fixes every random number a model uses.
 */
export class Generator {
  private state: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw argumentError('seed', 'a finite number', seed);
    this.state = Math.floor(seed) >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal by Box-Muller. */
  normal(): number {
    const u = 1 - this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A fresh integer seed for a tfjs random op. */
  nextSeed(): number {
    return Math.floor(this.uniform() * 2147483647);
  }
}

let globalGenerator = new Generator(0);

/** Like `torch.manual_seed`: resets the generator that seedless calls draw from. */
export function manualSeed(seed: number): Generator {
  globalGenerator = new Generator(seed);
  return globalGenerator;
}

export function defaultGenerator(): Generator {
  return globalGenerator;
}

/** A seed (number), an explicit generator, or the global one. */
export type RandomSource = number | Generator | undefined;

export function toGenerator(source: RandomSource): Generator {
  if (source instanceof Generator) return source;
  if (typeof source === 'number') return new Generator(source);
  return globalGenerator;
}

export function randn(shape: number[], source?: RandomSource, std = 1): tf.Tensor {
  return tf.randomNormal(shape, 0, std, 'float32', toGenerator(source).nextSeed());
}

export function rand(shape: number[], source?: RandomSource, low = 0, high = 1): tf.Tensor {
  return tf.randomUniform(shape, low, high, 'float32', toGenerator(source).nextSeed());
}

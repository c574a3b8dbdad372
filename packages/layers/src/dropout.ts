import { argumentError, Generator, tf, toGenerator } from '@descent/tensor';
import { checkInput } from './check-input';
import { layerOptions } from './layer-options';
import { Module, type ModuleConfig } from './module';

/** Options of Dropout: the drop probability and a seed. */
export interface DropoutOptions {
  /** Probability of zeroing each element. */
  p?: number;
  /** Seeds the layer's own generator once; without it each forward draws from the global one. */
  seed?: number | Generator;
}

/**
 * Inverted dropout: in training mode zeroes each element with probability p and scales the rest
 * by 1 / (1 - p), so eval mode is the identity. Each forward draws a fresh mask.
 */
export class Dropout extends Module {
  readonly p: number;
  readonly seed: number | undefined;
  private readonly generator: Generator | undefined;

  /** `new Dropout(0.2)` as in PyTorch, `new Dropout(0.2, { seed })`, or `new Dropout({ p: 0.2 })`. */
  constructor(p?: number | DropoutOptions, options?: Omit<DropoutOptions, 'p'>) {
    super();
    const given = layerOptions<DropoutOptions>('Dropout', 'p', p, options, ['p', 'seed']);
    const { p: probability = 0.5, seed } = given;
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1))
      throw argumentError('Dropout: p', 'a number in [0, 1]', probability);
    if (seed !== undefined && typeof seed !== 'number' && !(seed instanceof Generator)) {
      throw argumentError('Dropout: seed', 'a number or a Generator', seed);
    }
    this.p = probability;
    this.seed = typeof seed === 'number' ? seed : undefined;
    this.generator = seed === undefined ? undefined : toGenerator(seed);
  }

  forward(x: tf.Tensor): tf.Tensor {
    checkInput('Dropout', x);
    if (!this.training || this.p === 0) return x;
    if (this.p === 1) return tf.zerosLike(x);
    // Looked up at each call so that a later manualSeed() governs unseeded layers too.
    const seed = (this.generator ?? toGenerator(undefined)).nextSeed();
    return tf.tidy(() => {
      const keep = tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), this.p);
      return tf.mul(x, tf.mul(tf.cast(keep, 'float32'), 1 / (1 - this.p)));
    });
  }

  override toJSON(): ModuleConfig {
    return this.seed === undefined
      ? { type: 'Dropout', p: this.p }
      : { type: 'Dropout', p: this.p, seed: this.seed };
  }
}

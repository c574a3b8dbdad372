import { argumentError, tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { layerOptions } from './layer-options';
import { Module, type ModuleConfig } from './module';

/** Options of Softplus: beta in log(1 + exp(beta x)) / beta, and the threshold above which it is linear. */
export interface SoftplusOptions {
  beta?: number;
  /** Above `beta * x > threshold` the output is x itself, as in PyTorch (exp would overflow). */
  threshold?: number;
}

/** PyTorch's Softplus: log(1 + exp(beta * x)) / beta, and x where beta * x > threshold. */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;

  /** `new Softplus(2)` (beta) as in PyTorch, `new Softplus(2, { threshold })`, or `new Softplus({ beta: 2 })`. */
  constructor(beta?: number | SoftplusOptions, options?: Omit<SoftplusOptions, 'beta'>) {
    super();
    const given = layerOptions<SoftplusOptions>('Softplus', 'beta', beta, options, ['beta', 'threshold']);
    const { beta: b = 1, threshold = 20 } = given;
    if (typeof b !== 'number' || !(b > 0) || !Number.isFinite(b)) {
      throw argumentError('Softplus: beta', 'a positive finite number', b);
    }
    if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
      throw argumentError('Softplus: threshold', 'a finite number', threshold);
    }
    this.beta = b;
    this.threshold = threshold;
  }

  forward(x: tf.Tensor): tf.Tensor {
    checkInput('Softplus', x);
    return tf.tidy(() => {
      const bx = tf.mul(x, this.beta);
      // A 0/1 mask from step(), whose gradient is zero: tf.greater has none, so tf.where cannot backprop.
      // tfjs's softplus is itself overflow-safe, so the masked-out branch is always finite.
      const linear = tf.step(tf.sub(bx, this.threshold));
      return tf.add(tf.mul(linear, x), tf.mul(tf.sub(1, linear), tf.div(tf.softplus(bx), this.beta)));
    });
  }

  override toJSON(): ModuleConfig {
    return { type: 'Softplus', beta: this.beta, threshold: this.threshold };
  }
}

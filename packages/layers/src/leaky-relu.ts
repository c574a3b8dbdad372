import { argumentError, tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { Module, type ModuleConfig } from './module';

export interface LeakyReLUOptions {
  negativeSlope?: number;
}

/** x for x >= 0, negativeSlope * x below. */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  constructor(options: LeakyReLUOptions = {}) {
    super();
    const { negativeSlope = 0.01 } = options;
    if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
      throw argumentError('LeakyReLU: negativeSlope', 'a finite number', negativeSlope);
    }
    this.negativeSlope = negativeSlope;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.leakyRelu(checkInput('LeakyReLU', x), this.negativeSlope);
  }

  override toJSON(): ModuleConfig {
    return { type: 'LeakyReLU', negativeSlope: this.negativeSlope };
  }
}

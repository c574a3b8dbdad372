import { argumentError, tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { layerOptions } from './layer-options';
import { Module, type ModuleConfig } from './module';

/** Options of LeakyReLU: the slope for negative inputs (default 0.01, as in PyTorch). */
export interface LeakyReLUOptions {
  negativeSlope?: number;
}

/** x for x >= 0, negativeSlope * x below. */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  /** `new LeakyReLU(0.2)` as in PyTorch, or `new LeakyReLU({ negativeSlope: 0.2 })`. */
  constructor(negativeSlope?: number | LeakyReLUOptions) {
    super();
    const options = layerOptions<LeakyReLUOptions>('LeakyReLU', 'negativeSlope', negativeSlope, undefined, [
      'negativeSlope',
    ]);
    const { negativeSlope: slope = 0.01 } = options;
    if (typeof slope !== 'number' || !Number.isFinite(slope)) {
      throw argumentError('LeakyReLU: negativeSlope', 'a finite number', slope);
    }
    this.negativeSlope = slope;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.leakyRelu(checkInput('LeakyReLU', x), this.negativeSlope);
  }

  override toJSON(): ModuleConfig {
    return { type: 'LeakyReLU', negativeSlope: this.negativeSlope };
  }
}

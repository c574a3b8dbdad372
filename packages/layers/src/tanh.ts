import { tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { Module, type ModuleConfig } from './module';

/** The hyperbolic tangent. */
export class Tanh extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tanh(checkInput('Tanh', x));
  }

  override toJSON(): ModuleConfig {
    return { type: 'Tanh' };
  }
}

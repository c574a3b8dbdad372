import { tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { Module, type ModuleConfig } from './module';

/** 1 / (1 + exp(-x)). */
export class Sigmoid extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(checkInput('Sigmoid', x));
  }

  override toJSON(): ModuleConfig {
    return { type: 'Sigmoid' };
  }
}

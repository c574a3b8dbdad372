import { tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { Module, type ModuleConfig } from './module';

/** max(0, x). */
export class ReLU extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.relu(checkInput('ReLU', x));
  }

  override toJSON(): ModuleConfig {
    return { type: 'ReLU' };
  }
}

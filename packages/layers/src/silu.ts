import { tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { Module, type ModuleConfig } from './module';

/** x · sigmoid(x), like PyTorch's nn.SiLU (also called swish). */
export class SiLU extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    checkInput('SiLU', x);
    return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
  }

  override toJSON(): ModuleConfig {
    return { type: 'SiLU' };
  }
}

import type { tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { Module, type ModuleConfig } from './module';

/** Passes its input through unchanged (a placeholder, e.g. for a removed head). */
export class Identity extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return checkInput('Identity', x);
  }

  override toJSON(): ModuleConfig {
    return { type: 'Identity' };
  }
}

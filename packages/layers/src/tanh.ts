import { tf } from '@descent/tensor';
import { tanhKernel } from './activation-kernels';
import { checkInput } from './check-input';
import type { HostKernel } from './host-kernel';
import { Module, type ModuleConfig } from './module';

/** The hyperbolic tangent. */
export class Tanh extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tanh(checkInput('Tanh', x));
  }

  override hostKernel(): HostKernel {
    return tanhKernel;
  }

  override toJSON(): ModuleConfig {
    return { type: 'Tanh' };
  }
}

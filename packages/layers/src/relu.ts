import { tf } from '@descent/tensor';
import { reluKernel } from './activation-kernels';
import { checkInput } from './check-input';
import type { HostKernel } from './host-kernel';
import { Module, type ModuleConfig } from './module';

/** max(0, x). */
export class ReLU extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.relu(checkInput('ReLU', x));
  }

  override hostKernel(): HostKernel {
    return reluKernel;
  }

  override toJSON(): ModuleConfig {
    return { type: 'ReLU' };
  }
}

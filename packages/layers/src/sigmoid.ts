import { tf } from '@descent/tensor';
import { sigmoidKernel } from './activation-kernels';
import { checkInput } from './check-input';
import type { HostKernel } from './host-kernel';
import { Module, type ModuleConfig } from './module';

/** 1 / (1 + exp(-x)). */
export class Sigmoid extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(checkInput('Sigmoid', x));
  }

  override hostKernel(): HostKernel {
    return sigmoidKernel;
  }

  override toJSON(): ModuleConfig {
    return { type: 'Sigmoid' };
  }
}

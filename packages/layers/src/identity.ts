import type { tf } from '@descent/tensor';
import { identityKernel } from './activation-kernels';
import { checkInput } from './check-input';
import type { HostKernel } from './host-kernel';
import { Module, type ModuleConfig } from './module';

/** Passes its input through unchanged (a placeholder, e.g. for a removed head). */
export class Identity extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return checkInput('Identity', x);
  }

  override hostKernel(): HostKernel {
    return identityKernel;
  }

  override toJSON(): ModuleConfig {
    return { type: 'Identity' };
  }
}

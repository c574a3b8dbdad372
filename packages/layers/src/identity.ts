import type { tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { elementwiseKernel, type HostKernel } from './host-kernel';
import { Module, type ModuleConfig } from './module';

/** Passes its input through unchanged (a placeholder, e.g. for a removed head). */
export class Identity extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return checkInput('Identity', x);
  }

  override hostKernel(): HostKernel | undefined {
    if (Object.getPrototypeOf(this) !== Identity.prototype) return undefined;
    return elementwiseKernel(
      (x) => x,
      () => 1,
    );
  }

  override toJSON(): ModuleConfig {
    return { type: 'Identity' };
  }
}

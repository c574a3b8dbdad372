import { tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { elementwiseKernel, type HostKernel } from './host-kernel';
import { Module, type ModuleConfig } from './module';

/** The hyperbolic tangent. */
export class Tanh extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tanh(checkInput('Tanh', x));
  }

  override hostKernel(): HostKernel | undefined {
    if (Object.getPrototypeOf(this) !== Tanh.prototype) return undefined;
    return elementwiseKernel(Math.tanh, (_, y) => 1 - y * y);
  }

  override toJSON(): ModuleConfig {
    return { type: 'Tanh' };
  }
}

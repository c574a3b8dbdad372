import { tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { elementwiseKernel, type HostKernel } from './host-kernel';
import { Module, type ModuleConfig } from './module';

/** 1 / (1 + exp(-x)). */
export class Sigmoid extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(checkInput('Sigmoid', x));
  }

  override hostKernel(): HostKernel | undefined {
    if (Object.getPrototypeOf(this) !== Sigmoid.prototype) return undefined;
    return elementwiseKernel(
      (x) => 1 / (1 + Math.exp(-x)),
      (_, y) => y * (1 - y),
    );
  }

  override toJSON(): ModuleConfig {
    return { type: 'Sigmoid' };
  }
}

import { tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { elementwiseKernel, type HostKernel } from './host-kernel';
import { Module, type ModuleConfig } from './module';

/** max(0, x). */
export class ReLU extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.relu(checkInput('ReLU', x));
  }

  override hostKernel(): HostKernel | undefined {
    if (Object.getPrototypeOf(this) !== ReLU.prototype) return undefined;
    // As tfjs's gradient: the slope is 0 at x = 0.
    return elementwiseKernel(
      (x) => (x > 0 ? x : 0),
      (x) => (x > 0 ? 1 : 0),
    );
  }

  override toJSON(): ModuleConfig {
    return { type: 'ReLU' };
  }
}

import { fusedLinear, type Tensor } from '@descent/tensor';
import { Linear } from './linear';
import type { Module } from './module';
import { ReLU } from './relu';

/**
 * `layers[i]` on `h` as @descent/tensor's fused Linear kernel, with the ReLU right after it when
 * there is one (exact classes: a subclass may compute something else). One native call instead of
 * a matmul, a broadcast add and a ReLU; Node on the WASM backend with the native kernels only.
 * Returns the result and how many layers it covered, or undefined: the layer then runs its own
 * forward, which also reports any input it rejects.
 */
export function fusedLinearStep(
  layers: readonly Module[],
  i: number,
  h: Tensor,
): { y: Tensor; layers: number } | undefined {
  const layer = layers[i];
  if (layer.constructor !== Linear) return undefined;
  const relu = layers[i + 1]?.constructor === ReLU;
  const { weight, bias } = layer as Linear;
  const y = fusedLinear(h, weight.value, bias ? bias.value : null, relu);
  return y && { y, layers: relu ? 2 : 1 };
}

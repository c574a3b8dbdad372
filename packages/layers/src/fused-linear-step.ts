import { fusedLinearChain, LINEAR_CHAIN_LIMIT, type LinearLayer, type Tensor } from '@descent/tensor';
import { Linear } from './linear';
import type { Module } from './module';
import { ReLU } from './relu';

/**
 * The run of Linear layers from `layers[i]` on `h`, each with the ReLU right after it where there
 * is one, as @descent/tensor's fused chain: one kernel forward and one back for the whole run
 * (exact classes only: a subclass may compute something else). An MLP 784-128-64-10 is then two
 * kernels a step where its layers' ops are about twenty. Node on the WASM backend with the native
 * kernels only. Returns the result and how many layers it covered, or undefined: the layer then
 * runs its own forward, which also reports any input it rejects.
 */
export function fusedLinearStep(
  layers: readonly Module[],
  i: number,
  h: Tensor,
): { y: Tensor; layers: number } | undefined {
  const chain: LinearLayer[] = [];
  let j = i;
  while (layers[j]?.constructor === Linear && chain.length < LINEAR_CHAIN_LIMIT) {
    const { weight, bias } = layers[j] as Linear;
    const relu = layers[j + 1]?.constructor === ReLU;
    chain.push({ weight: weight.value, bias: bias ? bias.value : null, relu });
    j += relu ? 2 : 1;
  }
  if (chain.length === 0) return undefined;
  const y = fusedLinearChain(h, chain);
  return y && { y, layers: j - i };
}

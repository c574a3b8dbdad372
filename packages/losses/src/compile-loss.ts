import { argumentError, fusedBce, fusedCrossEntropy, fusedMse, type Tensor } from '@descent/tensor';
import { getLoss, type LossFn, type LossName, lossNameOf } from './registry';

/** Each loss that has a fused op in @descent/tensor, with the op to try first. */
const fusedOps: Partial<Record<LossName, (input: Tensor, target: Tensor) => Tensor | undefined>> = {
  mse: fusedMse,
  bce: fusedBce,
  crossEntropy: fusedCrossEntropy,
};

/**
 * The loss `name` (default options) compiled for speed, as `compile` in @descent/layers compiles a
 * model: on wasm and cpu, mse, bce and crossEntropy with class indices run as one taped op on the
 * host (@descent/tensor's fusedMse, fusedBce, fusedCrossEntropy) instead of five to thirty small
 * kernels. Those ops step aside for anything they do not cover (a GPU backend, other dtypes,
 * mismatched shapes, values out of range), and the loss's own function then runs, validating and
 * reporting as always; the values agree up to float rounding (sums in float64). Other losses are
 * returned as they are. With `options` (crossEntropy's `weight`, `ignoreIndex`, any loss's
 * `reduction`, ...), which the fused ops do not take, the loss's own function runs with them.
 */
export function compileLoss(name: LossName, options?: object): LossFn {
  if (typeof name !== 'string') throw argumentError('compileLoss: name', 'a loss name', name);
  const plain = getLoss(name);
  if (options !== undefined) {
    const withOptions = plain as (input: Tensor, target: Tensor, options: object) => Tensor;
    if (options === null || typeof options !== 'object')
      throw argumentError('compileLoss: options', 'an object', options);
    const bound = (input: Tensor, target: Tensor) => withOptions(input, target, options);
    Object.defineProperty(bound, 'name', { value: lossNameOf(name) });
    return bound;
  }
  const fused = fusedOps[lossNameOf(name) as LossName];
  if (!fused) return plain;
  const compiled = (input: Tensor, target: Tensor) => fused(input, target) ?? plain(input, target);
  Object.defineProperty(compiled, 'name', { value: lossNameOf(name) });
  return compiled;
}

import type { CompiledModule } from '@descent/layers';
import {
  gatherRowsTensor,
  linearChainCrossEntropy,
  type NamedTensorMap,
  nativeKernelInfo,
  tf,
  type Variable,
} from '@descent/tensor';
import type { HostData } from './data';

/** One step's loss, gradients by variable name (the caller disposes them) and, if asked, outputs. */
export interface CompiledStepResult {
  loss: number;
  grads: NamedTensorMap;
  output?: Float32Array;
}

/**
 * The Learner's training step compiled whole, as `compile` compiles a forward: for a model that is
 * one chain of Linear layers (ReLUs between) under crossEntropy with class indices, on WASM in
 * Node with descent's native kernels, the forward pass, the loss and the gradients run as one pass
 * of native calls (@descent/tensor's linearChainCrossEntropy) instead of a dozen taped kernels.
 * The gradients are the taped step's own; `learner.ts`'s step shows the same computation as
 * tfjs ops. Undefined where it does not apply (another model or backend, a label that is not a
 * class index); the Learner then runs that step.
 */
export function compiledChainStep(
  run: CompiledModule,
  data: HostData,
  indices: Int32Array,
  variables: readonly Variable[],
  keepOutput: boolean,
): CompiledStepResult | undefined {
  // Checked first so that, where it cannot run, no batch is gathered twice.
  if (tf.getBackend() !== 'wasm' || !nativeKernelInfo().active) return undefined;
  const chain = run.linearChain();
  if (!chain || data.y.cols !== 1) return undefined;
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const label = data.y.data[indices[i]];
    if (!Number.isInteger(label)) return undefined;
    labels[i] = label;
  }
  const x = gatherRowsTensor(data.X.data, data.X.cols, indices);
  let result: ReturnType<typeof linearChainCrossEntropy>;
  try {
    result = linearChainCrossEntropy(x, labels, chain, { keepLogits: keepOutput });
  } finally {
    x.dispose();
  }
  if (!result) return undefined;
  // Gradients in the chain's order (each layer's weight, then its bias), kept for the trainable ones.
  const trainable = new Set(variables.map((v) => v.name));
  const params = chain.flatMap((layer) => (layer.bias ? [layer.weight, layer.bias] : [layer.weight]));
  const grads: NamedTensorMap = {};
  params.forEach((param, i) => {
    const { name } = param as Variable;
    if (trainable.has(name)) grads[name] = result.grads[i];
    else result.grads[i].dispose();
  });
  return { loss: result.loss, grads, output: result.logits };
}

import {
  argumentError,
  FUSED_MLP_LIMIT,
  fusedMlp,
  type LinearLayer,
  type MlpStep,
  type Tensor,
  tf,
} from '@descent/tensor';
import { Identity } from './identity';
import { LeakyReLU } from './leaky-relu';
import { Linear } from './linear';
import { forwardChannelsLast } from './lowering';
import { anyForwardHooks, hasForwardHooks, Module } from './module';
import { ReLU } from './relu';
import { Sequential } from './sequential';
import { Sigmoid } from './sigmoid';
import { Softplus } from './softplus';
import { Tanh } from './tanh';

/**
 * What each layer class computes, as a step of @descent/tensor's fused MLP. Looked up by the
 * layer's exact class: a subclass may compute something else, so it runs as written.
 */
const mlpSteps = new Map<unknown, (layer: Module) => MlpStep>([
  [
    Linear,
    (layer) => {
      const { weight, bias } = layer as Linear;
      return { op: 'linear', weight: weight.variable, bias: bias?.variable };
    },
  ],
  [ReLU, () => ({ op: 'relu' })],
  [Sigmoid, () => ({ op: 'sigmoid' })],
  [Tanh, () => ({ op: 'tanh' })],
  [Identity, () => ({ op: 'identity' })],
  [LeakyReLU, (layer) => ({ op: 'leakyRelu', negativeSlope: (layer as LeakyReLU).negativeSlope })],
  [
    Softplus,
    (layer) => {
      const { beta, threshold } = layer as Softplus;
      return { op: 'softplus', beta, threshold };
    },
  ],
]);

/** Options of `compile`: up to what size a small MLP runs fused on the host. */
export interface CompileOptions {
  /**
   * The most multiply-adds per forward pass for which a small MLP runs fused on the host; above
   * it tfjs's WASM matmul is faster. Default FUSED_MLP_LIMIT (49,152), measured by
   * bench/small/crossover.mjs, which sets Infinity to time the fused path at every size.
   */
  fusedMlpLimit?: number;
}

/** The layers as fused-MLP steps, or undefined if any layer has no step. */
function mlpStepsOf(layers: readonly Module[]): MlpStep[] | undefined {
  const steps: MlpStep[] = [];
  for (const layer of layers) {
    const step = mlpSteps.get(layer.constructor);
    if (!step) return undefined;
    steps.push(step(layer));
  }
  return steps;
}

/** The layers a Sequential runs, nested Sequentials (exact class) opened up: the same computation. */
function leafLayers(layers: readonly Module[]): Module[] {
  return layers.flatMap((layer) => {
    const type: unknown = layer.constructor;
    return type === Sequential ? leafLayers((layer as Sequential).layers) : [layer];
  });
}

/**
 * A model compiled by `compile`: `forward(x)` gives the model's own result, by a faster route
 * where one applies. It shares the model's parameters; train, save and load the model itself.
 */
export class CompiledModule {
  readonly module: Module;
  private readonly limit: number;

  constructor(module: Module, limit: number) {
    this.module = module;
    this.limit = limit;
  }

  /**
   * For a Sequential (exact class), with no forward hook or pre-hook registered on it or any layer:
   * - Linear layers and elementwise activations only (ReLU, Sigmoid, Tanh, LeakyReLU, Softplus,
   *   Identity, exact classes) run as one taped op on the host (@descent/tensor's fusedMlp) on
   *   wasm and cpu, for float32 [N, features] input within the limit;
   * - otherwise chains of image layers whose class has a lowering (registerLowering; @descent/cnn
   *   registers Conv2d, the pools and BatchNorm2d) run channels-last, one transpose in and one out
   *   (lowering.ts), and every other layer runs its `call`; nested Sequentials are opened up.
   * Any other model, and any model with hooks, runs `module.call(x)`, hooks and all.
   */
  forward(x: Tensor): Tensor {
    const model = this.module;
    const type: unknown = model.constructor;
    if (type !== Sequential || (anyForwardHooks() && model.modules().some(hasForwardHooks))) {
      return model.call(x);
    }
    const layers = (model as Sequential).layers;
    const steps = mlpStepsOf(layers);
    const fused = steps && fusedMlp(steps, x, this.limit);
    return fused ?? tf.tidy(() => forwardChannelsLast(leafLayers(layers), x));
  }

  /**
   * The model as one chain of Linear layers, each with or without a ReLU after it (a Sequential
   * of those exact classes, nested Sequentials opened up, no hooks), each layer's weight and bias
   * being its parameters' variables: what a training step compiled whole takes (the Learner's
   * under crossEntropy, @descent/tensor's linearChainCrossEntropy). Undefined for any other model.
   */
  linearChain(): LinearLayer[] | undefined {
    const model = this.module;
    const type: unknown = model.constructor;
    if (type !== Sequential || (anyForwardHooks() && model.modules().some(hasForwardHooks))) return undefined;
    const layers = leafLayers((model as Sequential).layers);
    const chain: LinearLayer[] = [];
    for (let i = 0; i < layers.length; i++) {
      if (layers[i].constructor !== Linear) return undefined;
      const { weight, bias } = layers[i] as Linear;
      const relu = layers[i + 1]?.constructor === ReLU;
      chain.push({ weight: weight.variable, bias: bias ? bias.variable : null, relu });
      if (relu) i++;
    }
    return chain.length > 0 ? chain : undefined;
  }
}

/**
 * The model compiled for speed, as torch.compile does for PyTorch: the same numbers as
 * `model.call(x)` up to float rounding, the layers' files unchanged, and the fusing done by
 * @descent/tensor's kernels. Today it fuses a small MLP into one host op, and runs a CNN's image
 * layers channels-last (see CompiledModule); a step of the course's 1-2-1 dosage net is then a
 * handful of kernels instead of dozens. The
 * decision is taken at every call, so hooks registered later, a GPU backend or a larger batch
 * send it back to the plain path. Gradients of gradients need the plain path: use `model.call`.
 * Learner compiles its model unless given `compile: false`.
 */
export function compile(model: Module, options: CompileOptions = {}): CompiledModule {
  if (!(model instanceof Module)) throw argumentError('compile: model', 'a Module', model);
  if (options === null || typeof options !== 'object')
    throw argumentError('compile: options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (key !== 'fusedMlpLimit') throw argumentError('compile: options', 'only the key fusedMlpLimit', key);
  }
  const { fusedMlpLimit = FUSED_MLP_LIMIT } = options;
  if (typeof fusedMlpLimit !== 'number' || !(fusedMlpLimit >= 0)) {
    throw argumentError('compile: fusedMlpLimit', 'a number >= 0 (Infinity allowed)', fusedMlpLimit);
  }
  return new CompiledModule(model, fusedMlpLimit);
}

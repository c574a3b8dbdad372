import { fusedRelu, type Tensor, type Tensor4D, toChannelsFirst, toChannelsLast } from '@descent/tensor';
import { Dropout } from './dropout';
import { fusedLinearStep } from './fused-linear-step';
import { GELU } from './gelu';
import { Identity } from './identity';
import { LeakyReLU } from './leaky-relu';
import type { Module } from './module';
import { ReLU } from './relu';
import { Sigmoid } from './sigmoid';
import { SiLU } from './silu';
import { Softplus } from './softplus';
import { Tanh } from './tanh';

/**
 * What an image layer computes, written for channels-last images [N, H, W, C] with
 * @descent/tensor's NHWC ops: what `compile` runs in place of the layer's own (NCHW) forward.
 * Image layers speak NCHW at their API, as in PyTorch, but tfjs convolves and pools channels-last,
 * so a chain of them run one by one transposes at every layer; compiled, a chain runs NHWC with
 * one transpose in and one out, like PyTorch's `memory_format=torch.channels_last`.
 */
export interface ChannelsLastStep {
  /**
   * The layer on NHWC images. A 4-D result is NHWC (the layer's result transposed); any other is
   * exactly the layer's own (e.g. [N, C] features). undefined steps aside for this input (a shape
   * the layer rejects, say): the layer's forward then runs on NCHW and reports as it always does.
   */
  run(x: Tensor4D): Tensor | undefined;
  /** The layer's own forward transposes to channels-last anyway (a convolution): a run pays from here. */
  readonly prefersChannelsLast?: boolean;
  /**
   * `run(relu(x))` computed as relu after the layer, where that is exact, gradients included, and
   * cheaper (max pooling): a ReLU just before the layer then runs on the pooled values.
   */
  runAfterReLU?(x: Tensor4D): Tensor | undefined;
}

/**
 * Reads a layer's options and parameters (as data, at each call) into its channels-last step;
 * undefined where the layer has an option the step does not implement (a dilated or grouped
 * convolution, a ceil-mode pool): the layer then runs its own forward, outside any run.
 */
export type Lowering<M extends Module> = (layer: M) => ChannelsLastStep | undefined;

type ModuleClass<M extends Module> = abstract new (...args: never[]) => M;

const lowerings = new Map<unknown, Lowering<Module>>();

/**
 * Teaches `compile` to run layers of exactly class `type` channels-last (a subclass may compute
 * something else, so it runs its own forward). @descent/cnn registers its image layers this way;
 * registering a class again replaces its lowering.
 */
export function registerLowering<M extends Module>(type: ModuleClass<M>, lowering: Lowering<M>): void {
  lowerings.set(type, lowering as Lowering<Module>);
}

/** The layer's channels-last step, if its exact class has a lowering. */
function lower(layer: Module): ChannelsLastStep | undefined {
  return lowerings.get(layer.constructor)?.(layer);
}

const elementwise: readonly unknown[] = [ReLU, LeakyReLU, Sigmoid, Tanh, Softplus, Identity, GELU, SiLU];

/**
 * Whether `forward` gives the same values whatever the order of the elements: the built-in
 * elementwise activations, and Dropout where it draws no mask (its masks would differ by layout).
 * Exact classes only, since a subclass may depend on the shape.
 */
export function isLayoutAgnostic(layer: Module): boolean {
  const type = layer.constructor;
  if (elementwise.includes(type)) return true;
  return type === Dropout && (!layer.training || (layer as Dropout).p === 0);
}

/** A channels-last run from `start` pays only if one of its layers works channels-last anyway. */
function worthRun(
  steps: readonly (ChannelsLastStep | undefined)[],
  layers: readonly Module[],
  start: number,
) {
  for (let i = start; i < layers.length; i++) {
    if (steps[i]?.prefersChannelsLast) return true;
    if (!steps[i] && !isLayoutAgnostic(layers[i])) return false;
  }
  return false;
}

/** The layer's forward, a ReLU (exact class) as one native kernel each way where that runs. */
function callLayer(layer: Module, h: Tensor): Tensor {
  return (layer.constructor === ReLU && fusedRelu(h)) || layer.call(h);
}

/**
 * Runs `layers` (a Sequential's, with no hooks anywhere) one after another on `x`, as their `call`s
 * would. A 4-D float32 tensor meeting a run of lowered layers (elementwise activations between them
 * included) that holds a convolution is transposed to NHWC once, goes through the run's steps, and
 * comes back to NCHW once where the run ends; a ReLU just before a max pool runs after it. Outside
 * such runs a run of Linear layers, with the ReLUs after them, runs as one fused kernel where it
 * can (fused-linear-step.ts), and so does a ReLU. The values are those of the plain path up to float rounding.
 */
export function forwardChannelsLast(layers: readonly Module[], x: Tensor): Tensor {
  const steps = layers.map(lower);
  let h = x;
  let nhwc = false;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const step = steps[i];
    if (nhwc) {
      let y: Tensor | undefined;
      if (step) {
        y = step.run(h as Tensor4D);
      } else if (isLayoutAgnostic(layer)) {
        const next = steps[i + 1];
        const type: unknown = layer.constructor;
        if (type === ReLU && next?.runAfterReLU) {
          y = next.runAfterReLU(h as Tensor4D);
          if (y) i++;
          else y = callLayer(layer, h);
        } else {
          y = callLayer(layer, h);
        }
      }
      if (y) {
        h = y;
        nhwc = h.rank === 4;
        continue;
      }
      h = toChannelsFirst(h as Tensor4D);
      nhwc = false;
    } else if (step && h.rank === 4 && h.dtype === 'float32' && worthRun(steps, layers, i)) {
      h = toChannelsLast(h as Tensor4D);
      nhwc = true;
      i--;
      continue;
    }
    const fused = fusedLinearStep(layers, i, h);
    if (fused) {
      h = fused.y;
      i += fused.layers - 1;
      continue;
    }
    h = callLayer(layer, h);
  }
  return nhwc ? toChannelsFirst(h as Tensor4D) : h;
}

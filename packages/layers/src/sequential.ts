import { argumentError, tf } from '@descent/tensor';
import { LeakyReLU } from './leaky-relu';
import { Linear } from './linear';
import { Module, type ModuleConfig } from './module';
import { ReLU } from './relu';
import { Sigmoid } from './sigmoid';
import { Softplus } from './softplus';
import { Tanh } from './tanh';

/** Runs its layers one after another; they are named '0', '1', ... as in PyTorch's nn.Sequential. */
export class Sequential extends Module {
  readonly layers: Module[];

  constructor(layers: Module[] = []) {
    super();
    if (!Array.isArray(layers)) throw argumentError('Sequential: layers', 'an array of Modules', layers);
    layers.forEach((m, i) => {
      if (!(m instanceof Module)) throw argumentError(`Sequential: layers[${i}]`, 'a Module', m);
    });
    this.layers = [...layers];
  }

  get length(): number {
    return this.layers.length;
  }

  /** The layer at `index`; negative counts from the end. */
  at(index: number): Module {
    const n = this.layers.length;
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw argumentError('Sequential.at: index', `an integer in [${-n}, ${n})`, index);
    }
    return this.layers[index < 0 ? index + n : index];
  }

  /** Adds a module at the end; returns the Sequential for chaining. */
  append(module: Module): this {
    if (!(module instanceof Module)) throw argumentError('Sequential.append: module', 'a Module', module);
    this.layers.push(module);
    return this;
  }

  /**
   * Each layer's `call` (so hooks fire) on the previous one's output. `compile(model)` runs the
   * same computation faster (a small MLP fused, image layers channels-last).
   */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.layers.reduce((h, layer) => layer.call(h), x));
  }

  override namedChildren(): [string, Module][] {
    return this.layers.map((m, i) => [String(i), m]);
  }

  override toJSON(): ModuleConfig {
    return { type: 'Sequential', layers: this.layers.map((m) => m.toJSON()) };
  }
}

// The multi-layer perceptron is the most common stack: Linear layers with an activation between
// them, built as a plain Sequential so everything above holds for it.

/** 'none' leaves the hidden layers linear: the course's "stacked lines collapse to one line". */
export const activationNames = ['relu', 'sigmoid', 'tanh', 'softplus', 'leaky-relu', 'none'] as const;
/** The name of an MLP's hidden activation. */
export type ActivationName = (typeof activationNames)[number];

const makeActivation: Record<Exclude<ActivationName, 'none'>, () => Module> = {
  relu: () => new ReLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  softplus: () => new Softplus(),
  'leaky-relu': () => new LeakyReLU(),
};

/** Options of `mlp`: the layer widths, the activation, an optional output Sigmoid and a seed. */
export interface MlpOptions {
  inputs: number;
  /** Hidden layer widths, e.g. [32, 16]; [] gives a single Linear. */
  hidden: number[];
  outputs: number;
  activation?: ActivationName;
  /** A Sigmoid after the last Linear, for models that output a probability (bce). */
  sigmoidOutput?: boolean;
  /** Layer i is seeded with seed * 1000 + i, so one seed fixes the whole network. */
  seed?: number;
}

/** inputs → [Linear → activation] per hidden width → Linear (→ Sigmoid): the multi-layer perceptron. */
export function mlp(options: MlpOptions): Sequential {
  const { inputs, hidden, outputs, activation = 'relu', sigmoidOutput = false, seed } = options;
  if (!activationNames.includes(activation)) {
    throw argumentError('mlp: activation', `one of ${activationNames.join(', ')}`, activation);
  }
  const layerSeed = (i: number) => (seed === undefined ? undefined : seed * 1000 + i);
  const layers: Module[] = [];
  let width = inputs;
  hidden.forEach((size, i) => {
    layers.push(new Linear(width, size, { seed: layerSeed(i) }));
    if (activation !== 'none') layers.push(makeActivation[activation]());
    width = size;
  });
  layers.push(new Linear(width, outputs, { seed: layerSeed(hidden.length) }));
  if (sigmoidOutput) layers.push(new Sigmoid());
  return new Sequential(layers);
}

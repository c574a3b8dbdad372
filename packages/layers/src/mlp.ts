import { argumentError } from '@descent/tensor';
import { LeakyReLU } from './leaky-relu';
import { Linear } from './linear';
import type { Module } from './module';
import { ReLU } from './relu';
import { Sequential } from './sequential';
import { Sigmoid } from './sigmoid';
import { Softplus } from './softplus';
import { Tanh } from './tanh';

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

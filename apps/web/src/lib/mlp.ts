import { LeakyReLU, Linear, type Module, ReLU, Sequential, Sigmoid, Softplus, Tanh } from '@descent/layers';

export const activationNames = ['relu', 'tanh', 'sigmoid', 'softplus', 'leaky-relu', 'none'] as const;
export type ActivationName = (typeof activationNames)[number];

const makeActivation: Record<Exclude<ActivationName, 'none'>, () => Module> = {
  relu: () => new ReLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  softplus: () => new Softplus(),
  'leaky-relu': () => new LeakyReLU(),
};

/**
 * inputs → [Linear → activation] per hidden width → Linear, seeded layer by layer as the
 * `descent` command seeds them, so a seed here gives the command line's weights.
 */
export function buildMlp(options: {
  inputs: number;
  hidden: number[];
  outputs: number;
  activation: ActivationName;
  seed: number;
}): Sequential {
  const layers: Module[] = [];
  let width = options.inputs;
  options.hidden.forEach((size, i) => {
    layers.push(new Linear(width, size, { seed: options.seed * 1000 + i }));
    if (options.activation !== 'none') layers.push(makeActivation[options.activation]());
    width = size;
  });
  layers.push(new Linear(width, options.outputs, { seed: options.seed * 1000 + options.hidden.length }));
  return new Sequential(layers);
}

/** "16, 8" → [16, 8]; throws naming the field for anything else. */
export function parseHidden(text: string): number[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const sizes = parts.map(Number);
  if (sizes.some((s) => !Number.isInteger(s) || s < 1 || s > 512)) {
    throw new Error(`hidden layers: expected widths like "16, 8" (integers 1..512), found "${text}"`);
  }
  return sizes;
}

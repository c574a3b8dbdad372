import { LeakyReLU, Linear, type Module, ReLU, Sequential, Sigmoid, Softplus, Tanh } from '@descent/layers';

export const activations = ['relu', 'sigmoid', 'tanh', 'softplus', 'leaky-relu'] as const;
export type ActivationName = (typeof activations)[number];

const makeActivation: Record<ActivationName, () => Module> = {
  relu: () => new ReLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  softplus: () => new Softplus(),
  'leaky-relu': () => new LeakyReLU(),
};

/** inputs → [Linear → activation] per hidden width → Linear → (Sigmoid for probabilities). */
export function buildMlp(options: {
  inputs: number;
  hidden: number[];
  outputs: number;
  activation: ActivationName;
  probabilityOutput: boolean;
  seed: number;
}): Sequential {
  const layers: Module[] = [];
  let width = options.inputs;
  options.hidden.forEach((h, i) => {
    layers.push(
      new Linear(width, h, { seed: options.seed * 1000 + i }),
      makeActivation[options.activation](),
    );
    width = h;
  });
  layers.push(new Linear(width, options.outputs, { seed: options.seed * 1000 + options.hidden.length }));
  if (options.probabilityOutput) layers.push(new Sigmoid());
  return new Sequential(layers);
}

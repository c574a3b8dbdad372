/**
 * The course's key concepts, each tied to the demo that shows it and the source files that
 * implement it, and each demo tied to its own code (no DOM). Paths are from the repository root;
 * `sourceHref` makes them links, relative by default (as GitHub resolves them from apps/web/).
 */

export interface Concept {
  term: string;
  meaning: string;
  /** The page that shows it (its hash route id) and what to look at there. */
  demo: string;
  where: string;
  sources: string[];
}

export const concepts: Concept[] = [
  {
    term: 'Tensor',
    meaning: 'An array of numbers with a shape: a scalar, a vector, a matrix, a stack of images.',
    demo: 'convolution',
    where: 'the tensor ranks under the convolution',
    sources: ['packages/tensor/src/index.ts', 'apps/web/src/pages/tensor-ranks.ts'],
  },
  {
    term: 'Loss',
    meaning: 'One number saying how wrong the predictions are; training makes it smaller.',
    demo: 'network',
    where: 'the cost table: MSE and BCE by hand',
    sources: [
      'packages/losses/src/mse.ts',
      'packages/losses/src/bce.ts',
      'packages/losses/src/cross-entropy.ts',
    ],
  },
  {
    term: 'Optimizer',
    meaning: 'The rule that turns gradients into weight updates: SGD, momentum, Adam, RMSprop.',
    demo: 'descent',
    where: 'four optimizers racing on the same surface',
    sources: ['packages/optim/src/sgd.ts', 'packages/optim/src/adam.ts', 'packages/optim/src/rmsprop.ts'],
  },
  {
    term: 'Epoch',
    meaning: 'One pass over every training example.',
    demo: 'scaling',
    where: 'the loss curves, one point per epoch',
    sources: ['packages/train/src/learner.ts'],
  },
  {
    term: 'Batch size',
    meaning: 'How many examples each step looks at before it updates the weights.',
    demo: 'descent',
    where: 'the mini-batch SGD panel',
    sources: ['packages/datasets/src/batches.ts', 'packages/train/src/learner.ts'],
  },
  {
    term: 'Backpropagation',
    meaning: 'The chain rule run backwards through the network: every weight’s gradient in one pass.',
    demo: 'network',
    where: 'both paths bending as the gradients move their weights',
    sources: ['packages/train/src/learner.ts', 'packages/tensor/src/grad-check.ts'],
  },
  {
    term: 'Gradient descent',
    meaning: 'Step downhill: new weight = old weight − learning rate × gradient.',
    demo: 'tricks',
    where: 'the drunk man walking downhill',
    sources: ['packages/optim/src/sgd.ts', 'apps/web/src/pages/drunk-man.ts'],
  },
  {
    term: 'Learning rate',
    meaning: 'The size of each step; too small crawls, too large diverges.',
    demo: 'descent',
    where: 'the rate slider, and the schedules in the mini-batch panel',
    sources: ['packages/optim/src/optimizer.ts', 'packages/optim/src/schedules/'],
  },
  {
    term: 'Layers',
    meaning: 'The building blocks stacked into a network: linear, convolution, pooling.',
    demo: 'digits',
    where: 'inside the network, layer by layer',
    sources: [
      'packages/layers/src/linear.ts',
      'packages/cnn/src/conv2d.ts',
      'packages/layers/src/sequential.ts',
    ],
  },
  {
    term: 'Activations',
    meaning:
      'The bend between layers (ReLU, softplus, sigmoid, tanh); without it, layers collapse to one line.',
    demo: 'tricks',
    where: 'the stack with and without ReLU',
    sources: [
      'packages/layers/src/relu.ts',
      'packages/layers/src/softplus.ts',
      'packages/layers/src/sigmoid.ts',
      'packages/layers/src/tanh.ts',
    ],
  },
  {
    term: 'Weights and biases',
    meaning: 'The numbers a layer learns: each input’s weight, and a bias that shifts the result.',
    demo: 'network',
    where: 'parameters vs hyperparameters',
    sources: ['packages/layers/src/parameter.ts', 'packages/layers/src/linear.ts'],
  },
];

/** Each demo's own code: its layout, its recipe, and the package files it leans on most. */
export const pageSources: Record<string, string[]> = {
  tricks: [
    'apps/web/src/pages/tricks.ts',
    'apps/web/src/pages/tricks-recipe.ts',
    'apps/web/src/pages/drunk-man.ts',
  ],
  descent: [
    'apps/web/src/pages/descent.ts',
    'apps/web/src/pages/descent-recipe.ts',
    'packages/optim/src/adam.ts',
  ],
  network: [
    'apps/web/src/pages/network.ts',
    'apps/web/src/pages/network-recipe.ts',
    'packages/layers/src/softplus.ts',
  ],
  scaling: [
    'apps/web/src/pages/scaling.ts',
    'apps/web/src/pages/scaling-recipe.ts',
    'packages/scalers/src/index.ts',
  ],
  tabular: [
    'apps/web/src/pages/tabular.ts',
    'apps/web/src/pages/tabular-recipe.ts',
    'packages/train/src/learner.ts',
  ],
  convolution: [
    'apps/web/src/pages/convolution.ts',
    'apps/web/src/pages/convolution-recipe.ts',
    'packages/cnn/src/teaching.ts',
  ],
  digits: [
    'apps/web/src/pages/digits.ts',
    'apps/web/src/pages/explainer-recipe.ts',
    'packages/cnn/src/simple-cnn.ts',
  ],
  transfer: [
    'apps/web/src/pages/transfer.ts',
    'apps/web/src/pages/transfer-recipe.ts',
    'packages/cnn/src/transfer.ts',
  ],
  shap: ['apps/web/src/pages/shap.ts', 'apps/web/src/pages/shapley-recipe.ts', 'packages/shap/src/exact.ts'],
  playground: [
    'apps/web/src/pages/playground.ts',
    'apps/web/src/pages/playground-recipe.ts',
    'packages/losses/src/penalty.ts',
  ],
  glossary: ['apps/web/src/pages/glossary.ts', 'apps/web/src/pages/glossary-recipe.ts'],
};

/** A page's code: its listed files, or its layout file for a page not listed yet. */
export function sourcesOf(page: string): string[] {
  return pageSources[page] ?? [`apps/web/src/pages/${page}.ts`];
}

/** A source path as a link: relative from apps/web/ (where GitHub shows the app) unless a base is set. */
export function sourceHref(path: string, base = '../../'): string {
  return `${base}${path}`;
}

import type { PageModule } from './page';

export interface PageEntry {
  id: string;
  n: number;
  title: string;
  blurb: string;
  load: () => Promise<PageModule>;
}

/**
 * One page per course concept, in course order, each its own chunk (the digits and their model
 * load only there): [id, title, blurb, loader]. The loaders stay literal `import()` calls so the
 * bundler can split them.
 */
const table: [string, string, string, () => Promise<PageModule>][] = [
  [
    'tricks',
    'Two tricks',
    'Stacked linear layers collapse to one line; gradient descent is a drunk man walking downhill.',
    () => import('./tricks'),
  ],
  [
    'descent',
    'Gradient descent playground',
    'SGD, momentum, Adam and RMSprop racing on Rosenbrock, a saddle and Himmelblau.',
    () => import('./descent'),
  ],
  [
    'network',
    'A neural network at work',
    'Dosage to efficacy with two softplus neurons: watch both paths bend into a bump.',
    () => import('./network'),
  ],
  [
    'scaling',
    'Data scaling',
    'Penguin measurements before and after scaling, and what scaling does to training.',
    () => import('./scaling'),
  ],
  [
    'tabular',
    'Tabular classification',
    'Penguins or your own CSV: pick a network, train it, read its confusion matrix and ROC.',
    () => import('./tabular'),
  ],
  [
    'convolution',
    'Convolution by hand',
    'A 3×3 filter slides over a 5×5 image, product by product; then max pooling.',
    () => import('./convolution'),
  ],
  [
    'digits',
    'CNN on digits',
    'Train a small CNN on MNIST here, draw a digit, see its filters and feature maps.',
    () => import('./digits'),
  ],
  [
    'transfer',
    'Transfer learning',
    'A backbone that knows digits 0–4 learns 5–9 from a few examples, beside a network from scratch.',
    () => import('./transfer'),
  ],
  [
    'shap',
    'SHAP',
    'Why did the model say that? Shapley values for a penguin and for a digit.',
    () => import('./shap'),
  ],
  [
    'playground',
    'Playground',
    'Circles, XOR and spirals in the plane: add neurons and layers, cross features, and watch the boundary.',
    () => import('./playground'),
  ],
  [
    'glossary',
    'Glossary',
    'The course’s key concepts, each linked to the demo that shows it and the code that implements it.',
    () => import('./glossary'),
  ],
];

export const pages: PageEntry[] = table.map(([id, title, blurb, load], i) => ({
  id,
  n: i + 1,
  title,
  blurb,
  load,
}));

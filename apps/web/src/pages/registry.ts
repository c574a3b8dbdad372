import type { PageModule } from './page';

export interface PageEntry {
  id: string;
  n: number;
  title: string;
  blurb: string;
  load: () => Promise<PageModule>;
}

/** One page per course concept, each its own chunk (the digits and their model load only there). */
export const pages: PageEntry[] = [
  {
    id: 'tricks',
    n: 1,
    title: 'Two tricks',
    blurb: 'Stacked linear layers collapse to one line; gradient descent is a drunk man walking downhill.',
    load: () => import('./tricks'),
  },
  {
    id: 'descent',
    n: 2,
    title: 'Gradient descent playground',
    blurb: 'SGD, momentum, Adam and RMSprop racing on Rosenbrock, a saddle and Himmelblau.',
    load: () => import('./descent'),
  },
  {
    id: 'network',
    n: 3,
    title: 'A neural network at work',
    blurb: 'Dosage to efficacy with two softplus neurons: watch both paths bend into a bump.',
    load: () => import('./network'),
  },
  {
    id: 'scaling',
    n: 4,
    title: 'Data scaling',
    blurb: 'Penguin measurements before and after scaling, and what scaling does to training.',
    load: () => import('./scaling'),
  },
  {
    id: 'tabular',
    n: 5,
    title: 'Tabular classification',
    blurb: 'Penguins or your own CSV: pick a network, train it, read its confusion matrix and ROC.',
    load: () => import('./tabular'),
  },
  {
    id: 'convolution',
    n: 6,
    title: 'Convolution by hand',
    blurb: 'A 3×3 filter slides over a 5×5 image, product by product; then max pooling.',
    load: () => import('./convolution'),
  },
  {
    id: 'digits',
    n: 7,
    title: 'CNN on digits',
    blurb: 'Train a small CNN on MNIST here, draw a digit, see its filters and feature maps.',
    load: () => import('./digits'),
  },
  {
    id: 'transfer',
    n: 8,
    title: 'Transfer learning',
    blurb: 'A backbone that knows digits 0–4 learns 5–9 from a few examples, beside a network from scratch.',
    load: () => import('./transfer'),
  },
  {
    id: 'shap',
    n: 9,
    title: 'SHAP',
    blurb: 'Why did the model say that? Shapley values for a penguin and for a digit.',
    load: () => import('./shap'),
  },
];

import { simpleCnn } from '@descent/cnn';
import { Adam, OneCycleLR } from '@descent/optim';
import { Learner } from '@descent/train';

/** Page 7's recipe: the CNN, its optimizer and schedule, and the run's defaults (no DOM). */

/**
 * The digits page's defaults, by how fast the backend trains. On WASM or a real GPU the whole
 * shipped set for six epochs reaches about 98 % on the held-out digits in well under a minute
 * (bench: apps/web/scripts/digits-minute.mjs); on a software GPU or the plain CPU backend that
 * would take many minutes, so the defaults shrink to one pass over 1,000 digits (about 78 % held out on WASM, the same
 * numbers on any backend), near a minute on SwiftShader.
 */
export interface DigitsDefaults {
  train: string;
  test: string;
  epochs: number;
}

export const trainSizes = ['256', '1000', '2000', '4000', '8000'];
export const testSizes = ['100', '500', '2000'];

export function digitsDefaults(slow: boolean): DigitsDefaults {
  return slow ? { train: '1000', test: '100', epochs: 1 } : { train: '8000', test: '2000', epochs: 6 };
}

/** Adam's peak rate under the one-cycle schedule, and the batch size (the CLI's recipe). */
export const peakLr = 0.01;
export const batchSize = 32;

export const dataNote =
  'Trained on the 10,000-digit subset of MNIST shipped with the app (8,000 to train, 2,000 held out), to keep the page light; the command-line tool (descent train --dataset mnist) trains on the full 60,000/10,000 MNIST.';

export const slowNote =
  'This backend trains slowly here (a GPU emulated on the CPU, or the plain CPU backend), so the defaults are a small run. WASM in the Backend menu trains the full set in well under a minute.';

/** The CNN (two conv blocks of 8 and 16 channels) and Adam on it, behind a Learner. */
export function digitsLearner(seed: number, lr: number) {
  const model = simpleCnn({ inputShape: [1, 28, 28], classes: 10, channels: [8, 16], seed });
  const optimizer = new Adam(model.trainableParameters(), { lr });
  const learner = new Learner(model, {
    loss: 'crossEntropy',
    optimizer,
    metrics: ['accuracy'],
    inputShape: [1, 28, 28],
  });
  return { model, optimizer, learner };
}

/**
 * The rate rises to its peak and anneals over the whole run, one step per batch: the course's
 * "change the learning rate from large to small", fast.ai's one-cycle.
 */
export function oneCycle(optimizer: Adam, peak: number, epochs: number, rows: number): OneCycleLR {
  return new OneCycleLR(optimizer, { maxLr: peak, totalSteps: epochs * Math.ceil(rows / batchSize) });
}

/** Which held-out digit "Use a test digit" shows: a seeded walk, a new one each press. */
export function testDigitIndex(seed: number, press: number, rows: number): number {
  return (seed * 7919 + press * 31) % rows;
}

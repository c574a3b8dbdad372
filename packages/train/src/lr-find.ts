import { batches } from '@descent/datasets';
import { mixSeed } from '@descent/random';
import { argumentError, checkOptions, dispose, type Tensor } from '@descent/tensor';
import { type TrainingData, toHostData } from './data';
import type { Learner } from './learner';

/** Options of `lrFind`, fast.ai's learning-rate range test: the rate range, the steps and when to stop. */
export interface LrFindOptions {
  /** The first rate tried. Default 1e-7, as fast.ai. */
  startLr?: number;
  /** The rate reached at the last iteration. Default 10. */
  endLr?: number;
  /** Batches (optimizer steps) to take, at most. Default 100. */
  numIter?: number;
  /** Stop once the smoothed loss passes 4 times its best (it has diverged). Default true. */
  stopDiv?: boolean;
  batchSize?: number;
  /** Seeds the shuffles. */
  seed?: number;
}

/** What the learning-rate range test found: the rates and smoothed losses, and a suggested rate. */
export interface LrFindResult {
  /** The rate of each step taken. */
  lrs: number[];
  /** The smoothed loss after each step (fast.ai's exponential average, debiased). */
  losses: number[];
  /** The rate where the smoothed loss falls fastest (see `steepestRate`). */
  suggested: number;
  /** Why the test ended: it diverged, or it took every iteration. */
  stopReason: 'diverged' | 'numIter';
}

/** fast.ai's smoothing of the recorded loss: an exponential moving average with this beta. */
const BETA = 0.98;

/**
 * fast.ai's "steep" suggestion: the rate at which the smoothed loss falls fastest against log(lr),
 * argmin of (loss[i+1] - loss[i]) / (log lr[i+1] - log lr[i]), skipping the first tenth of the
 * iterations (where the average is still settling) and the last five (where it blows up), as
 * fast.ai's `lr_find` does. (fast.ai's default suggestion is now "valley"; this is the classic.)
 */
export function steepestRate(lrs: readonly number[], losses: readonly number[], numIter: number): number {
  let from = Math.floor(numIter / 10);
  let to = lrs.length - 5;
  if (to - from < 2) [from, to] = [0, lrs.length];
  let best = 0;
  let steepest = Infinity;
  for (let i = from; i + 1 < to; i++) {
    const slope = (losses[i + 1] - losses[i]) / (Math.log(lrs[i + 1]) - Math.log(lrs[i]));
    if (slope < steepest) [steepest, best] = [slope, i];
  }
  return lrs[best];
}

/**
 * The learning-rate range test (Leslie Smith's, as fast.ai's `lr_find` runs it): train batch by
 * batch while the rate grows exponentially from `startLr` to `endLr`, record the smoothed loss,
 * stop when it diverges, and suggest the rate where it fell fastest. The model's weights and the
 * optimizer's state (its rates and buffers) are restored afterwards, so a `fit` can follow.
 */
export async function lrFind(
  learner: Learner,
  data: TrainingData,
  options: LrFindOptions = {},
): Promise<LrFindResult> {
  const o = checkOptions<LrFindOptions>('lrFind', options, [
    'startLr',
    'endLr',
    'numIter',
    'stopDiv',
    'batchSize',
    'seed',
  ]);
  const optimizer = learner.optimizer;
  if (!optimizer) throw argumentError('lrFind: learner.optimizer', 'an optimizer', undefined);
  const startLr = o.startLr ?? 1e-7;
  const endLr = o.endLr ?? 10;
  if (!(typeof startLr === 'number' && startLr > 0 && Number.isFinite(startLr)))
    throw argumentError('lrFind: options.startLr', 'a positive number', startLr);
  if (!(typeof endLr === 'number' && endLr > startLr && Number.isFinite(endLr)))
    throw argumentError('lrFind: options.endLr', `a number > startLr (${startLr})`, endLr);
  const numIter = o.numIter ?? 100;
  if (!Number.isInteger(numIter) || numIter < 2)
    throw argumentError('lrFind: options.numIter', 'an integer >= 2', numIter);
  const train = toHostData(data, 'data');
  const batchSize = Math.min(o.batchSize ?? 32, train.X.rows);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw argumentError('lrFind: options.batchSize', 'a positive integer', o.batchSize);

  // What the test changes, kept to put back: weights (and buffers), the optimizer, the mode.
  const weights = learner.model.stateDict();
  const state = optimizer.stateDict();
  const wasTraining = learner.model.training;
  const lrs: number[] = [];
  const losses: number[] = [];
  let stopReason: LrFindResult['stopReason'] = 'numIter';
  try {
    learner.model.train();
    let average = 0;
    let best = Infinity;
    for (let epoch = 1; lrs.length < numIter && stopReason === 'numIter'; epoch++) {
      const order = batches(train.X.rows, batchSize, { shuffle: true, seed: mixSeed(o.seed ?? 0, epoch) });
      for (const indices of order) {
        const lr = startLr * (endLr / startLr) ** (lrs.length / (numIter - 1));
        optimizer.lr = lr;
        const { loss } = await learner.step(optimizer, train, indices, false);
        if (!Number.isFinite(loss)) {
          stopReason = 'diverged';
          break;
        }
        average = BETA * average + (1 - BETA) * loss;
        const smoothed = average / (1 - BETA ** (lrs.length + 1));
        lrs.push(lr);
        losses.push(smoothed);
        best = Math.min(best, smoothed);
        if ((o.stopDiv ?? true) && smoothed > 4 * best) stopReason = 'diverged';
        if (stopReason === 'diverged' || lrs.length === numIter) break;
      }
    }
  } finally {
    learner.model.loadStateDict(weights);
    optimizer.loadStateDict(state);
    learner.model.train(wasTraining);
    dispose(Object.values(weights) as Tensor[]);
    dispose(Object.values(state.state).flatMap((entry) => Object.values(entry)));
  }
  if (lrs.length === 0) throw new Error('lrFind: the loss was not finite at the first step');
  return { lrs, losses, suggested: steepestRate(lrs, losses, numIter), stopReason };
}

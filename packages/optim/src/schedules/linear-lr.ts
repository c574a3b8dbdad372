import { argumentError, checkOptions } from '@descent/tensor';
import type { Optimizer } from '../optimizer';
import { atLeast, fraction } from '../validate';
import { LRScheduler } from './lr-scheduler';

/** Options of LinearLR: the start and end factors and the steps between them. */
export interface LinearLROptions {
  /** The factor on the base rate at step 0, in (0, 1]. Default 1/3, as PyTorch. */
  startFactor?: number;
  /** The factor reached at step `totalIters` and kept after, in [0, 1]. Default 1. */
  endFactor?: number;
  /** Steps over which the factor moves. Default 5. */
  totalIters?: number;
}

/**
 * A linear warmup (or decay) of the rate: the factor on the base rate moves in a straight line
 * from `startFactor` to `endFactor` over `totalIters` steps, then stays:
 * lr = base * (start + (end - start) * min(t, totalIters) / totalIters).
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    checkOptions('LinearLR', options, ['startFactor', 'endFactor', 'totalIters']);
    super(optimizer);
    const start = options?.startFactor ?? 1 / 3;
    if (typeof start !== 'number' || !(start > 0 && start <= 1))
      throw argumentError('LinearLR: options.startFactor', 'a number in (0, 1]', start);
    this.startFactor = start;
    this.endFactor = fraction('LinearLR: options.endFactor', options?.endFactor ?? 1);
    const total = atLeast('LinearLR: options.totalIters', options?.totalIters ?? 5, 0);
    if (!Number.isInteger(total))
      throw argumentError('LinearLR: options.totalIters', 'an integer >= 0', total);
    this.totalIters = total;
    this.start();
  }

  lrAt(epoch: number, base = this.base): number {
    if (this.totalIters === 0) return base * this.endFactor;
    const progress = Math.min(epoch, this.totalIters) / this.totalIters;
    return base * (this.startFactor + (this.endFactor - this.startFactor) * progress);
  }
}

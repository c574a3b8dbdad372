import { checkOptions } from '@descent/tensor';
import type { Optimizer } from '../optimizer';
import { atLeast } from '../validate';
import { LRScheduler } from './lr-scheduler';

/** Options of ExponentialLR: the factor `gamma` applied every step. */
export interface ExponentialLROptions {
  gamma: number;
}

/** Multiplies the rate by `gamma` every step: lr = base * gamma^t. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    checkOptions('ExponentialLR', options, ['gamma']);
    super(optimizer);
    this.gamma = atLeast('options.gamma', options?.gamma, 0);
    this.start();
  }

  lrAt(epoch: number, base = this.base): number {
    return base * this.gamma ** epoch;
  }
}

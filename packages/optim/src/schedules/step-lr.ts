import { checkOptions } from '@descent/tensor';
import type { Optimizer } from '../optimizer';
import { atLeast, positiveInt } from '../validate';
import { LRScheduler } from './lr-scheduler';

/** Options of StepLR: the factor `gamma` applied every `stepSize` steps. */
export interface StepLROptions {
  stepSize: number;
  gamma?: number;
}

/** Multiplies the rate by `gamma` every `stepSize` steps: lr = base * gamma^floor(t / stepSize). */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    checkOptions('StepLR', options, ['stepSize', 'gamma']);
    super(optimizer);
    this.stepSize = positiveInt('options.stepSize', options?.stepSize);
    this.gamma = atLeast('options.gamma', options.gamma ?? 0.1, 0);
    this.start();
  }

  lrAt(epoch: number, base = this.base): number {
    return base * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

import { checkOptions } from '@descent/tensor';
import type { Optimizer } from '../optimizer';
import { atLeast, positiveInt } from '../validate';
import { LRScheduler } from './lr-scheduler';

/** Options of CosineAnnealingLR: the half-period `tMax` in steps and the lowest rate `etaMin` (default 0). */
export interface CosineAnnealingLROptions {
  tMax: number;
  etaMin?: number;
}

/**
 * Half a cosine from the base rate down to `etaMin` over `tMax` steps (PyTorch's closed form,
 * without restarts): lr = etaMin + (base - etaMin) (1 + cos(pi t / tMax)) / 2. Past `tMax` the
 * cosine rises again, as PyTorch's does.
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    checkOptions('CosineAnnealingLR', options, ['tMax', 'etaMin']);
    super(optimizer);
    this.tMax = positiveInt('options.tMax', options?.tMax);
    this.etaMin = atLeast('options.etaMin', options.etaMin ?? 0, 0);
    this.start();
  }

  lrAt(epoch: number, base = this.base): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}

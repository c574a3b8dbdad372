import { argumentError, checkOptions } from '@descent/tensor';
import type { Optimizer } from '../optimizer';
import { atLeast } from '../validate';
import { LRScheduler } from './lr-scheduler';

/** Options of MultiStepLR: the milestone steps and the factor `gamma` applied at each. */
export interface MultiStepLROptions {
  /** The steps at which the rate is multiplied by `gamma`, in increasing order. */
  milestones: number[];
  gamma?: number;
}

/** Multiplies the rate by `gamma` at each milestone: lr = base * gamma^(milestones passed by t). */
export class MultiStepLR extends LRScheduler {
  readonly milestones: readonly number[];
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: MultiStepLROptions) {
    checkOptions('MultiStepLR', options, ['milestones', 'gamma']);
    super(optimizer);
    this.milestones = checkMilestones('MultiStepLR: options.milestones', options?.milestones, 0);
    this.gamma = atLeast('MultiStepLR: options.gamma', options.gamma ?? 0.1, 0);
    this.start();
  }

  lrAt(epoch: number, base = this.base): number {
    return base * this.gamma ** passed(this.milestones, epoch);
  }
}

/** How many milestones are at or before `epoch` (Python's bisect_right). */
export function passed(milestones: readonly number[], epoch: number): number {
  let n = 0;
  while (n < milestones.length && milestones[n] <= epoch) n++;
  return n;
}

/** A list of integers >= `min`, each at least the one before (a repeat multiplies twice). */
export function checkMilestones(name: string, value: unknown, min: number): number[] {
  const ok =
    Array.isArray(value) &&
    value.every((m, i) => Number.isInteger(m) && m >= min && (i === 0 || m >= value[i - 1]));
  if (!ok) throw argumentError(name, `an increasing list of integers >= ${min}`, value);
  return [...(value as number[])];
}

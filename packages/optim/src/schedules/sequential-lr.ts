import { argumentError, checkOptions } from '@descent/tensor';
import type { Optimizer } from '../optimizer';
import { LRScheduler } from './lr-scheduler';
import { checkMilestones, passed } from './multi-step-lr';

/** Options of SequentialLR: the schedules and the steps at which each hands over. */
export interface SequentialLROptions {
  /** The schedules in the order they run, all made on this optimizer. */
  schedulers: LRScheduler[];
  /** The steps at which the next schedule takes over: one fewer than `schedulers`. */
  milestones: number[];
}

/**
 * Runs schedules one after another, as PyTorch's SequentialLR: schedule i rules from milestone
 * i - 1 (or step 0) and starts over at its own step 0 there, from the groups' base rates. A linear
 * warmup then a cosine decay is
 * `new SequentialLR(opt, { schedulers: [warmup, cosine], milestones: [5] })`.
 */
export class SequentialLR extends LRScheduler {
  readonly schedulers: readonly LRScheduler[];
  readonly milestones: readonly number[];

  constructor(optimizer: Optimizer, options: SequentialLROptions) {
    checkOptions('SequentialLR', options, ['schedulers', 'milestones']);
    super(optimizer);
    const list = options?.schedulers;
    if (!Array.isArray(list) || list.length === 0 || !list.every((s) => s instanceof LRScheduler))
      throw argumentError('SequentialLR: options.schedulers', 'a non-empty list of schedules', list);
    list.forEach((s, i) => {
      if (s.optimizer !== optimizer)
        throw argumentError(`SequentialLR: options.schedulers[${i}]`, 'a schedule of the same optimizer', s);
    });
    this.schedulers = [...list];
    const milestones = checkMilestones('SequentialLR: options.milestones', options.milestones, 1);
    if (milestones.length !== list.length - 1) {
      throw argumentError(
        'SequentialLR: options.milestones',
        `${list.length - 1} milestones (one fewer than schedulers)`,
        milestones,
      );
    }
    this.milestones = milestones;
    this.start();
  }

  lrAt(epoch: number, base = this.base): number {
    const i = passed(this.milestones, epoch);
    const from = i === 0 ? 0 : this.milestones[i - 1];
    return this.schedulers[i].lrAt(epoch - from, base);
  }
}

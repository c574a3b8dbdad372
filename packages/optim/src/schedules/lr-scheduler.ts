import { argumentError } from '@descent/tensor';
import type { Optimizer } from '../optimizer';
import { atLeast } from '../validate';

/** What a schedule needs to resume: where it is and the rate it started from. */
export interface SchedulerStateDict {
  lastEpoch: number;
  baseLr: number;
}

/**
 * The base of every schedule. As in PyTorch, making one counts as step 0 and sets `optimizer.lr`
 * to the rate for step 0; each `step()` (once per epoch or per batch, as the schedule is meant)
 * moves to the next step's rate. Rates come from a closed form of the step number.
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  /** The rate the closed form starts from: the optimizer's lr when the schedule was made. */
  protected base: number;
  private epoch = 0;
  private last: number;

  protected constructor(optimizer: Optimizer) {
    if (optimizer == null || typeof optimizer !== 'object' || typeof optimizer.lr !== 'number') {
      throw argumentError('optimizer', 'an Optimizer', optimizer);
    }
    this.optimizer = optimizer;
    this.base = optimizer.lr;
    this.last = optimizer.lr;
  }

  /** The rate at step `epoch` (0 is the rate when the schedule was made). */
  abstract lrAt(epoch: number): number;

  /** The rate given to the optimizer at the base: the optimizer's lr when the schedule began. */
  get baseLr(): number {
    return this.base;
  }

  /** How many times `step()` has run since the schedule was made. */
  get lastEpoch(): number {
    return this.epoch;
  }

  /** Subclasses call this at the end of their constructor: PyTorch's initial step. */
  protected start(): void {
    this.apply();
  }

  /** Moves to the next step and sets the optimizer's lr. */
  step(): void {
    this.epoch += 1;
    this.apply();
  }

  /** The rate the last `step()` (or the constructor) set. */
  getLastLr(): number {
    return this.last;
  }

  protected apply(): void {
    const lr = this.lrAt(this.epoch);
    this.onStep(this.epoch);
    this.optimizer.lr = lr;
    this.last = lr;
  }

  /** Hook for schedules that set more than the rate (OneCycleLR's momentum). */
  protected onStep(_epoch: number): void {}

  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.epoch, baseLr: this.base };
  }

  /** Restores a `stateDict()` and sets the optimizer's lr for that step. */
  loadStateDict(sd: SchedulerStateDict): void {
    if (sd == null || typeof sd !== 'object') throw argumentError('stateDict', 'a schedule state dict', sd);
    if (!Number.isInteger(sd.lastEpoch) || sd.lastEpoch < 0) {
      throw argumentError('stateDict.lastEpoch', 'a non-negative integer', sd.lastEpoch);
    }
    const previous = { epoch: this.epoch, base: this.base };
    this.base = atLeast('stateDict.baseLr', sd.baseLr, 0);
    this.epoch = sd.lastEpoch;
    try {
      this.apply();
    } catch (err) {
      this.epoch = previous.epoch;
      this.base = previous.base;
      throw err;
    }
  }
}

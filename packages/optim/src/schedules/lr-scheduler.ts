import { argumentError } from '@descent/tensor';
import type { Optimizer } from '../optimizer';
import { atLeast } from '../validate';

/** What a schedule needs to resume: where it is and the rate it started from. */
export interface SchedulerStateDict {
  lastEpoch: number;
  baseLr: number;
  /** Every parameter group's base rate; written only when there are several groups. */
  baseLrs?: number[];
}

/**
 * The base of every schedule. As in PyTorch, making one counts as step 0 and sets each parameter
 * group's `lr` to the rate for step 0; each `step()` (once per epoch or per batch, as the schedule
 * is meant) moves to the next step's rate. Rates come from a closed form of the step number and
 * the group's base rate: its `initialLr`, which the first schedule made on the optimizer records
 * (PyTorch's `initial_lr`), so a second schedule, such as SequentialLR's, starts from the same base.
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  /** The first group's base rate (the closed forms' default `base`). */
  protected base: number;
  /** Each group's base rate. */
  protected bases: number[];
  private epoch = 0;
  private last: number[];

  protected constructor(optimizer: Optimizer) {
    if (
      optimizer == null ||
      typeof optimizer !== 'object' ||
      typeof optimizer.lr !== 'number' ||
      !Array.isArray(optimizer.paramGroups)
    ) {
      throw argumentError('optimizer', 'an Optimizer', optimizer);
    }
    this.optimizer = optimizer;
    for (const g of optimizer.paramGroups) g.initialLr ??= g.lr;
    this.bases = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.base = this.bases[0];
    this.last = optimizer.paramGroups.map((g) => g.lr);
  }

  /** The rate at step `epoch` (0 is the rate when the schedule was made) for a group whose base is `base`. */
  abstract lrAt(epoch: number, base?: number): number;

  /** The first group's base rate: its lr when the first schedule on the optimizer began. */
  get baseLr(): number {
    return this.base;
  }

  /** Every group's base rate. */
  get baseLrs(): number[] {
    return [...this.bases];
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

  /** The rate the last `step()` (or the constructor) set, in the first group. */
  getLastLr(): number {
    return this.last[0];
  }

  /** The rates the last `step()` (or the constructor) set, one per group (PyTorch's `get_last_lr()`). */
  getLastLrs(): number[] {
    return [...this.last];
  }

  /** Sets every parameter group's lr to the schedule's rate at the current step. */
  protected apply(): void {
    const rates = this.bases.map((base) => atLeast('lr', this.lrAt(this.epoch, base), 0));
    this.onStep(this.epoch);
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = rates[i];
    });
    this.last = rates;
  }

  /** Hook for schedules that set more than the rate (OneCycleLR's momentum). */
  protected onStep(_epoch: number): void {}

  /** The scheduler's state (step count and base rates), for saving and `loadStateDict`. */
  stateDict(): SchedulerStateDict {
    const sd: SchedulerStateDict = { lastEpoch: this.epoch, baseLr: this.base };
    if (this.bases.length > 1) sd.baseLrs = [...this.bases];
    return sd;
  }

  /** Restores a `stateDict()` and sets the optimizer's lr for that step. */
  loadStateDict(sd: SchedulerStateDict): void {
    if (sd == null || typeof sd !== 'object') throw argumentError('stateDict', 'a schedule state dict', sd);
    if (!Number.isInteger(sd.lastEpoch) || sd.lastEpoch < 0) {
      throw argumentError('stateDict.lastEpoch', 'a non-negative integer', sd.lastEpoch);
    }
    const bases = sd.baseLrs ?? [sd.baseLr];
    if (!Array.isArray(bases) || bases.length !== this.bases.length) {
      throw argumentError('stateDict.baseLrs', `${this.bases.length} base rates, one per group`, bases);
    }
    bases.forEach((b, i) => {
      atLeast(sd.baseLrs ? `stateDict.baseLrs[${i}]` : 'stateDict.baseLr', b, 0);
    });
    const previous = { epoch: this.epoch, bases: this.bases };
    this.bases = [...bases];
    this.base = bases[0];
    this.epoch = sd.lastEpoch;
    try {
      this.apply();
    } catch (err) {
      this.epoch = previous.epoch;
      this.bases = previous.bases;
      this.base = previous.bases[0];
      throw err;
    }
  }
}

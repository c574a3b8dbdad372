import { argumentError, checkOptions } from '@descent/tensor';
import type { Optimizer } from '../optimizer';
import { atLeast } from '../validate';

/** Options of ReduceLROnPlateau, as in PyTorch: mode, factor, patience, threshold, cooldown and the lowest rate. */
export interface ReduceLROnPlateauOptions {
  /** 'min' when lower is better (a loss, the default), 'max' when higher is (an accuracy). */
  mode?: 'min' | 'max';
  /** The rate is multiplied by this on a plateau; below 1. Default 0.1. */
  factor?: number;
  /** Steps without improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** How much better counts as better. Default 1e-4. */
  threshold?: number;
  /** 'rel': better than best * (1 ± threshold); 'abs': than best ± threshold. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** The lowest rate, one for all groups or one per group. Default 0. */
  minLr?: number | number[];
  /** A reduction smaller than this is skipped. Default 1e-8. */
  eps?: number;
}

/** What ReduceLROnPlateau needs to resume: its counters and the best value. */
export interface PlateauStateDict {
  lastEpoch: number;
  best: number;
  numBadEpochs: number;
  cooldownCounter: number;
}

const KEYS = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'];

const count = (name: string, value: unknown) => {
  if (!Number.isInteger(value) || (value as number) < 0) throw argumentError(name, 'an integer >= 0', value);
  return value as number;
};

/**
 * Lowers the rate when a metric stops improving, as PyTorch's ReduceLROnPlateau: call
 * `step(metric)` once per epoch with, say, the validation loss. After more than `patience` steps
 * without a better value, each group's rate becomes max(lr * factor, minLr). Unlike the other
 * schedules it follows the metric, not the step number, so it has no closed form.
 */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: readonly number[];
  readonly eps: number;
  /** The best metric so far (Infinity or -Infinity before the first step). */
  best: number;
  /** Steps since the last improvement. */
  numBadEpochs = 0;
  private cooldownCounter = 0;
  private epoch = 0;

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    const o = checkOptions<ReduceLROnPlateauOptions>('ReduceLROnPlateau', options, KEYS);
    if (optimizer == null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups))
      throw argumentError('optimizer', 'an Optimizer', optimizer);
    this.optimizer = optimizer;
    const mode = o.mode ?? 'min';
    if (mode !== 'min' && mode !== 'max')
      throw argumentError('ReduceLROnPlateau: options.mode', '"min" or "max"', mode);
    this.mode = mode;
    const factor = o.factor ?? 0.1;
    if (typeof factor !== 'number' || !(factor >= 0 && factor < 1))
      throw argumentError('ReduceLROnPlateau: options.factor', 'a number in [0, 1)', factor);
    this.factor = factor;
    this.patience = count('ReduceLROnPlateau: options.patience', o.patience ?? 10);
    this.threshold = atLeast('ReduceLROnPlateau: options.threshold', o.threshold ?? 1e-4, 0);
    const thresholdMode = o.thresholdMode ?? 'rel';
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs')
      throw argumentError('ReduceLROnPlateau: options.thresholdMode', '"rel" or "abs"', thresholdMode);
    this.thresholdMode = thresholdMode;
    this.cooldown = count('ReduceLROnPlateau: options.cooldown', o.cooldown ?? 0);
    const groups = optimizer.paramGroups.length;
    const minLr = o.minLr ?? 0;
    const minLrs = Array.isArray(minLr) ? minLr : Array.from({ length: groups }, () => minLr);
    if (minLrs.length !== groups)
      throw argumentError(
        'ReduceLROnPlateau: options.minLr',
        `a number or ${groups} numbers (one per group)`,
        minLr,
      );
    this.minLrs = minLrs.map((m, i) => atLeast(`ReduceLROnPlateau: options.minLr[${i}]`, m, 0));
    this.eps = atLeast('ReduceLROnPlateau: options.eps', o.eps ?? 1e-8, 0);
    this.best = mode === 'min' ? Infinity : -Infinity;
  }

  /** How many times `step()` has run. */
  get lastEpoch(): number {
    return this.epoch;
  }

  /** Whether `value` beats the best so far by the threshold. */
  isBetter(value: number): boolean {
    const { best, threshold } = this;
    if (this.thresholdMode === 'rel') {
      return this.mode === 'min' ? value < best * (1 - threshold) : value > best * (1 + threshold);
    }
    return this.mode === 'min' ? value < best - threshold : value > best + threshold;
  }

  /** Takes the epoch's metric and lowers the rates if it has not improved for too long. */
  step(metric: number): void {
    if (typeof metric !== 'number' || Number.isNaN(metric))
      throw argumentError('ReduceLROnPlateau.step: metric', 'a number', metric);
    this.epoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const lower = Math.max(g.lr * this.factor, this.minLrs[i]);
        // A change below eps is rounding, not a reduction.
        if (g.lr - lower > this.eps) g.lr = lower;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
  }

  /** The scheduler's state (step, best value and counters), for saving and `loadStateDict`. */
  stateDict(): PlateauStateDict {
    const { epoch: lastEpoch, best, numBadEpochs, cooldownCounter } = this;
    return { lastEpoch, best, numBadEpochs, cooldownCounter };
  }

  /** Restores a `stateDict()`; the rates themselves live in the optimizer's state dict. */
  loadStateDict(sd: PlateauStateDict): void {
    if (sd == null || typeof sd !== 'object')
      throw argumentError('stateDict', 'a ReduceLROnPlateau state dict', sd);
    for (const key of ['lastEpoch', 'numBadEpochs', 'cooldownCounter'] as const)
      count(`stateDict.${key}`, sd[key]);
    if (typeof sd.best !== 'number' || Number.isNaN(sd.best))
      throw argumentError('stateDict.best', 'a number', sd.best);
    this.epoch = sd.lastEpoch;
    this.best = sd.best;
    this.numBadEpochs = sd.numBadEpochs;
    this.cooldownCounter = sd.cooldownCounter;
  }

  /** The first group's current rate. */
  getLastLr(): number {
    return this.optimizer.paramGroups[0].lr;
  }

  /** Every group's current rate. */
  getLastLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

import type { Tensor } from '@descent/tensor';
import { argumentError, dispose } from '@descent/tensor';
import type { Callback, EpochLogs, TrainingControl } from './callbacks';

/** Options of EarlyStopping: the monitored value, patience, the smallest improvement, mode and restoring the best weights. */
export interface EarlyStoppingOptions {
  /** A key of the epoch logs, e.g. 'valLoss' (default), 'loss', 'valAccuracy'. */
  monitor?: string;
  /** Epochs without improvement before stopping. */
  patience?: number;
  /** The smallest change that counts as an improvement. */
  minDelta?: number;
  /** 'min' for losses, 'max' for accuracies; 'auto' picks 'max' when the key names accuracy. */
  mode?: 'min' | 'max' | 'auto';
  /** Load the best epoch's weights back when training ends. */
  restoreBestWeights?: boolean;
}

/** Stops when the monitored value stops improving and, by default, restores the best weights. */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: 'min' | 'max';
  readonly restoreBestWeights: boolean;
  best = Number.NaN;
  bestEpoch = -1;
  private wait = 0;
  private snapshot: Record<string, Tensor> | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    const {
      monitor = 'valLoss',
      patience = 5,
      minDelta = 0,
      mode = 'auto',
      restoreBestWeights = true,
    } = options;
    if (!Number.isInteger(patience) || patience < 0) {
      throw argumentError('EarlyStopping: patience', 'a non-negative integer', patience);
    }
    if (!(minDelta >= 0)) throw argumentError('EarlyStopping: minDelta', 'a number >= 0', minDelta);
    this.monitor = monitor;
    this.patience = patience;
    this.minDelta = minDelta;
    this.mode = mode === 'auto' ? (/acc/i.test(monitor) ? 'max' : 'min') : mode;
    this.restoreBestWeights = restoreBestWeights;
  }

  /** Resets the best value and the wait count of any earlier fit. */
  onTrainBegin(): void {
    this.best = Number.NaN;
    this.bestEpoch = -1;
    this.wait = 0;
    this.release();
  }

  /** Checks the monitored value; stops training after `patience` epochs without improvement. */
  onEpochEnd(logs: EpochLogs, control: TrainingControl): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      const known = Object.keys(logs).join(', ');
      throw argumentError('EarlyStopping: monitor', `one of the logged values (${known})`, this.monitor);
    }
    const improved =
      this.bestEpoch < 0 ||
      (this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta);
    if (improved) {
      this.best = value;
      this.bestEpoch = logs.epoch;
      this.wait = 0;
      if (this.restoreBestWeights) {
        this.release();
        this.snapshot = control.model.stateDict();
      }
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      control.stop(
        `early stopping: ${this.monitor} did not improve for ${this.patience} epochs ` +
          `(best ${this.best.toPrecision(4)} at epoch ${this.bestEpoch})`,
      );
    }
  }

  /** Restores the best epoch's weights, if asked to, and frees the snapshot. */
  onTrainEnd(_history: EpochLogs[], control: TrainingControl): void {
    if (this.snapshot) control.model.loadStateDict(this.snapshot);
    this.release();
  }

  private release(): void {
    if (this.snapshot) dispose(Object.values(this.snapshot));
    this.snapshot = null;
  }
}

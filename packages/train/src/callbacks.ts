import type { Module } from '@descent/layers';
import type { Optimizer } from '@descent/optim';

/** What the Learner reports at the end of an epoch: `loss`, `valLoss`, and each metric. */
export type EpochLogs = Record<string, number> & { epoch: number; loss: number };

/** What the Learner reports after each batch: epoch, batch index and count, the batch's loss and size. */
export interface BatchLogs {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  size: number;
}

/** What the Learner offers a callback: the model it trains, and a way to stop. */
export interface TrainingControl {
  readonly model: Module;
  /** The optimizer of the fit (its `lr` is the rate of the next step). */
  readonly optimizer?: Optimizer;
  readonly epoch: number;
  /** Asks the Learner to stop training; `reason` becomes the fit's `stopReason`. */
  stop(reason?: string): void;
}

/** Hooks into `fit`. Each may be async; the Learner awaits it. */
export interface Callback {
  /** Called once before the first epoch. */
  onTrainBegin?(control: TrainingControl): void | Promise<void>;
  /** Called when an epoch starts. */
  onEpochBegin?(epoch: number, control: TrainingControl): void | Promise<void>;
  /** Called before each batch. */
  onBatchBegin?(batch: number, epoch: number, control: TrainingControl): void | Promise<void>;
  /** Called after each batch with its loss. */
  onBatchEnd?(logs: BatchLogs, control: TrainingControl): void | Promise<void>;
  /** Called when an epoch ends, with its losses and metrics. */
  onEpochEnd?(logs: EpochLogs, control: TrainingControl): void | Promise<void>;
  /** Called once after the last epoch, with the history of every epoch. */
  onTrainEnd?(history: EpochLogs[], control: TrainingControl): void | Promise<void>;
}

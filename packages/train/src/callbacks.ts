import type { Module } from '@descent/layers';
import type { Optimizer } from '@descent/optim';

/** What the Learner reports at the end of an epoch: `loss`, `valLoss`, and each metric. */
export type EpochLogs = Record<string, number> & { epoch: number; loss: number };

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
  stop(reason?: string): void;
}

/** Hooks into `fit`. Each may be async; the Learner awaits it. */
export interface Callback {
  onTrainBegin?(control: TrainingControl): void | Promise<void>;
  onEpochBegin?(epoch: number, control: TrainingControl): void | Promise<void>;
  onBatchBegin?(batch: number, epoch: number, control: TrainingControl): void | Promise<void>;
  onBatchEnd?(logs: BatchLogs, control: TrainingControl): void | Promise<void>;
  onEpochEnd?(logs: EpochLogs, control: TrainingControl): void | Promise<void>;
  onTrainEnd?(history: EpochLogs[], control: TrainingControl): void | Promise<void>;
}

import { join } from 'node:path';
import { argumentError, checkOptions } from '@descent/tensor';
import type { BundleInfo } from './bundle';
import { saveBundle } from './bundle-folder';
import type { Callback, EpochLogs, TrainingControl } from './callbacks';

/** Options of ModelCheckpoint: the folder, the bundle info, the monitored value and which bundles to keep. */
export interface ModelCheckpointOptions {
  /** The folder: the bundles go to `dir/best` and `dir/last`. */
  dir: string;
  /** What each bundle records beside the weights (loss, output kind, preprocessing, ...). */
  info: BundleInfo;
  /**
   * The logged value that decides the best epoch. Default 'valLoss', or 'loss' when the fit has
   * no validation data and no monitor was given.
   */
  monitor?: string;
  /** 'min' for losses, 'max' for accuracies; 'auto' picks 'max' when the key names accuracy. */
  mode?: 'min' | 'max' | 'auto';
  /** Keep the best epoch's bundle. Default true. */
  saveBest?: boolean;
  /** Keep the last epoch's bundle. Default true. */
  saveLast?: boolean;
}

/**
 * Saves the model as a bundle after each epoch: `dir/last` every epoch and `dir/best` when the
 * monitored value improves (fast.ai's SaveModelCallback, Lightning's ModelCheckpoint). Each is a
 * real bundle, written atomically by `saveBundle` (a crash leaves the previous one whole), that
 * `descent predict` reads; its `extra.checkpoint` says which epoch it holds and that epoch's logs.
 */
export class ModelCheckpoint implements Callback {
  readonly dir: string;
  readonly mode: 'min' | 'max' | 'auto';
  readonly saveBest: boolean;
  readonly saveLast: boolean;
  /** The monitored value of the best epoch so far, and that epoch (-1 before the first). */
  best = Number.NaN;
  bestEpoch = -1;
  private monitorKey?: string;
  private readonly info: BundleInfo;

  constructor(options: ModelCheckpointOptions) {
    const o = checkOptions<ModelCheckpointOptions>('ModelCheckpoint', options, [
      'dir',
      'info',
      'monitor',
      'mode',
      'saveBest',
      'saveLast',
    ]);
    if (typeof o.dir !== 'string' || o.dir === '')
      throw argumentError('ModelCheckpoint: dir', 'a folder', o.dir);
    if (o.info == null || typeof o.info !== 'object')
      throw argumentError('ModelCheckpoint: info', 'the bundle info (loss, outputKind, ...)', o.info);
    const mode = o.mode ?? 'auto';
    if (!['min', 'max', 'auto'].includes(mode))
      throw argumentError('ModelCheckpoint: mode', '"min", "max" or "auto"', mode);
    this.dir = o.dir;
    this.info = o.info;
    this.monitorKey = o.monitor;
    this.mode = mode;
    this.saveBest = o.saveBest ?? true;
    this.saveLast = o.saveLast ?? true;
  }

  /** The logged value that decides the best epoch (known once the first epoch has ended). */
  get monitor(): string | undefined {
    return this.monitorKey;
  }

  /** Forgets the best value of any earlier fit. */
  onTrainBegin(): void {
    this.best = Number.NaN;
    this.bestEpoch = -1;
  }

  /** Saves the last epoch's bundle, and the best epoch's when the monitored value improved. */
  async onEpochEnd(logs: EpochLogs, control: TrainingControl): Promise<void> {
    const monitor = (this.monitorKey ??= 'valLoss' in logs ? 'valLoss' : 'loss');
    const value = logs[monitor];
    if (value === undefined) {
      const known = Object.keys(logs).join(', ');
      throw argumentError('ModelCheckpoint: monitor', `one of the logged values (${known})`, monitor);
    }
    const max = this.mode === 'max' || (this.mode === 'auto' && /acc/i.test(monitor));
    const improved = this.bestEpoch < 0 || (max ? value > this.best : value < this.best);
    if (this.saveLast) await this.save('last', logs, control);
    if (improved) {
      this.best = value;
      this.bestEpoch = logs.epoch;
      if (this.saveBest) await this.save('best', logs, control);
    }
  }

  private async save(name: string, logs: EpochLogs, control: TrainingControl): Promise<void> {
    const extra = { ...this.info.extra, checkpoint: { ...logs, kind: name } };
    await saveBundle(join(this.dir, name), control.model, { ...this.info, extra });
  }
}

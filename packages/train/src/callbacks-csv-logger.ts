import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { argumentError } from '@descent/tensor';
import type { Callback, EpochLogs, TrainingControl } from './callbacks';

/**
 * Writes one CSV row per epoch, as fast.ai's CSVLogger: `epoch`, `loss` (training), `valLoss` and
 * the metrics when there are any, and `lr`, the optimizer's rate when the epoch ended. The header
 * comes from the first epoch's logs; each row is appended as soon as its epoch ends, so an
 * interrupted run keeps the epochs it finished.
 */
export class CSVLogger implements Callback {
  readonly path: string;
  private columns: string[] = [];

  constructor(path: string) {
    if (typeof path !== 'string' || path === '') throw argumentError('CSVLogger: path', 'a file path', path);
    this.path = path;
  }

  /** Starts a new file: the header is taken from the first epoch's logs. */
  onTrainBegin(): void {
    this.columns = [];
  }

  /** Appends the epoch's row, writing the header first at the first epoch. */
  async onEpochEnd(logs: EpochLogs, control: TrainingControl): Promise<void> {
    const values: Record<string, number | undefined> = { ...logs, lr: control.optimizer?.lr };
    if (this.columns.length === 0) {
      this.columns = ['epoch', ...Object.keys(logs).filter((k) => k !== 'epoch'), 'lr'];
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(this.path, `${this.columns.join(',')}\n`);
    }
    // A value missing from a later epoch is an empty field, not a shifted row.
    const row = this.columns.map((c) => (values[c] === undefined ? '' : String(values[c])));
    await appendFile(this.path, `${row.join(',')}\n`);
  }
}

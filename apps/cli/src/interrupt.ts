import type { Module } from '@descent/layers';
import { type Tensor, tf } from '@descent/tensor';
import type { BatchLogs, Callback, EpochLogs, TrainingControl } from '@descent/train';

/** Copy the weights at an epoch's end at most this often (a tiny net's epoch is one step). */
const COPY_EVERY_MS = 50;
/** How often a long epoch lets a waiting Ctrl-C in. */
const YIELD_EVERY_MS = 100;

/**
 * Ctrl-C and SIGTERM during a fit. The first asks training to stop once the current batch is done
 * (through `signal`, which the Learner reads before each batch); the second quits at once.
 * Installed for the length of a fit only, so the CLI keeps Node's default handling elsewhere.
 */
export class Interrupt {
  /** The signal's name once one came ('SIGINT', 'SIGTERM'). */
  received?: NodeJS.Signals;
  private readonly controller = new AbortController();
  private readonly onSignal = (name: NodeJS.Signals) => {
    if (this.received) {
      process.stderr.write(`\ndescent: ${name} again: quitting now, nothing saved\n`);
      return process.exit(130);
    }
    this.received = name;
    process.stderr.write(
      `\ndescent: ${name}: stopping after this batch to save the last finished epoch (${name === 'SIGINT' ? 'Ctrl-C' : name} again quits at once)\n`,
    );
  };

  get requested(): boolean {
    return this.received !== undefined;
  }

  /** Read by the Learner before each batch. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stops the fit before its next batch. */
  abort(): void {
    this.controller.abort();
  }

  install(): void {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  uninstall(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

/**
 * Keeps a copy of the weights as they stood at the end of the last finished epoch, for the
 * checkpoint an interrupted run saves. On an interrupt mid-epoch it stops the fit at once if its
 * copy is of the epoch before; otherwise (a copy older than that: epochs shorter than
 * COPY_EVERY_MS) it lets the current, short epoch finish and stops there.
 */
export class LastEpoch implements Callback {
  /** The epochs finished when the copy was taken, counted over the whole run. */
  epoch = 0;
  history: EpochLogs[] = [];
  private state?: Record<string, Tensor>;
  private takenAt = Number.NEGATIVE_INFINITY;
  private yieldedAt = performance.now();

  constructor(
    private readonly model: Module,
    private readonly interrupt: Interrupt,
  ) {}

  async onBatchEnd(logs: BatchLogs): Promise<void> {
    // The Learner yields to the event loop once an epoch; a long epoch would hold a signal back
    // until its end, so let signals in every YIELD_EVERY_MS as well.
    const now = performance.now();
    if (now - this.yieldedAt >= YIELD_EVERY_MS) {
      this.yieldedAt = now;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.interrupt.requested && this.epoch === logs.epoch - 1) this.interrupt.abort();
  }

  onEpochEnd(logs: EpochLogs, control: TrainingControl): void {
    this.history.push({ ...logs });
    const now = performance.now();
    if (this.interrupt.requested || now - this.takenAt >= COPY_EVERY_MS) {
      this.take(logs.epoch);
      this.takenAt = now;
    }
    if (this.interrupt.requested) control.stop('interrupted');
  }

  /** Copies the weights as they are now, as those of `epoch` finished epochs. */
  take(epoch: number): void {
    this.dispose();
    this.state = this.model.stateDict();
    this.epoch = epoch;
  }

  /** Puts the copied weights back into the model; false when no epoch finished. */
  restore(): boolean {
    if (!this.state || this.epoch === 0) return false;
    this.model.loadStateDict(this.state);
    return true;
  }

  dispose(): void {
    if (this.state) tf.dispose(Object.values(this.state));
    this.state = undefined;
  }
}

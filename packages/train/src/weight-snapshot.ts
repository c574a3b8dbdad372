import type { Module } from '@descent/layers';
import { type Tensor, tf } from '@descent/tensor';

/** Retake the snapshot at an epoch's start only when this long has passed since the last one. */
const SNAPSHOT_EVERY_MS = 50;

/**
 * The weights to fall back on if training diverges: taken at the start of the first epoch, then
 * again at the start of an epoch once SNAPSHOT_EVERY_MS have passed. Copying a small network's
 * weights every epoch would cost more than its epoch (the dosage net's epoch is one step); an
 * epoch of any real size takes longer than that, so it still gets a snapshot every epoch.
 */
export class WeightSnapshot {
  /** The epoch whose starting weights are held. */
  epoch = 0;
  state?: Record<string, Tensor>;
  private takenAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly model: Module) {}

  /** At the start of `epoch`: replace the held weights if the last copy is old enough. */
  maybeTake(epoch: number): void {
    const now = performance.now();
    if (this.state && now - this.takenAt < SNAPSHOT_EVERY_MS) return;
    this.dispose();
    this.state = this.model.stateDict();
    this.epoch = epoch;
    this.takenAt = now;
  }

  dispose(): void {
    if (this.state) tf.dispose(Object.values(this.state));
    this.state = undefined;
  }
}

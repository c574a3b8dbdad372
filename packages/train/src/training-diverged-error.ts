import type { Module } from '@descent/layers';
import { tf } from '@descent/tensor';
import type { WeightSnapshot } from './weight-snapshot';

/** Where the weights a diverged fit kept come from: after `batch` batches of `epoch` (0: its start). */
export interface KeptWeights {
  epoch: number;
  batch: number;
}

/** The loss became NaN or infinite. Names the epoch and batch (both counted from 1). */
export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';
  constructor(
    message: string,
    readonly epoch: number,
    readonly batch: number,
    /** The model holds the weights from here on: finite, the last good ones the fit saw. */
    readonly kept: KeptWeights = { epoch, batch: batch - 1 },
    /** The non-finite loss itself. */
    readonly loss = Number.NaN,
  ) {
    super(message);
  }
}

/**
 * After a non-finite loss: keeps the weights if they are all still finite (the optimizer skipped
 * the bad batch), else restores the snapshot (the start of its epoch), then throws naming both.
 */
export async function restoreAndThrow(
  model: Module,
  loss: number,
  epoch: number,
  batch: number,
  snapshot: WeightSnapshot,
): Promise<never> {
  let finite = true;
  for (const p of model.parameters()) {
    const allFinite = tf.tidy(() => tf.all(tf.isFinite(p.variable)));
    finite &&= (await allFinite.data())[0] === 1;
    allFinite.dispose();
  }
  if (!finite && snapshot.state) model.loadStateDict(snapshot.state);
  const kept = finite
    ? 'the weights before this batch'
    : `the weights from the start of epoch ${snapshot.epoch}`;
  throw new TrainingDivergedError(
    `training diverged: the loss became ${loss} at epoch ${epoch}, batch ${batch}; kept ${kept}. ` +
      'Try a smaller learning rate or scaled inputs.',
    epoch,
    batch,
    finite ? { epoch, batch: batch - 1 } : { epoch: snapshot.epoch, batch: 0 },
    loss,
  );
}

import type { Module } from '@descent/layers';
import type { BundleInfo, TrainingDivergedError } from '@descent/train';
import { saveBundle } from '@descent/train/node';
import type { Interrupt, LastEpoch } from './interrupt';
import { StoppedRun } from './stopped-run';

/** What a fit that stops early saves: the model, the bundle info it would have had, and where. */
export interface CheckpointPlan {
  model: Module;
  /** The bundle info of the finished run, less its metrics (a stopped run has none tested). */
  info: () => BundleInfo;
  /** `--out`: where the finished model would go; undefined saves nothing. */
  out?: string;
  /** The epochs the run was asked for. */
  epochs: number;
}

/** Where an interrupted run's checkpoint goes: beside `--out`, so a good bundle there survives. */
export function interruptedDir(out: string): string {
  return `${out.replace(/[\\/]+$/, '')}.interrupted`;
}

async function saveMarked(
  plan: CheckpointPlan,
  dir: string,
  stopped: Record<string, unknown>,
  loss: number | undefined,
) {
  const info = plan.info();
  await saveBundle(dir, plan.model, {
    ...info,
    metrics: loss === undefined ? {} : { loss },
    // Readers tell a checkpoint from a finished model by `extra.stopped`.
    extra: { ...info.extra, stopped },
  });
}

/**
 * After Ctrl-C or SIGTERM: the weights of the last finished epoch saved as a checkpoint beside
 * `--out`, marked as interrupted, then a StoppedRun with status 130 saying where.
 */
export async function saveInterrupted(
  plan: CheckpointPlan,
  interrupt: Interrupt,
  last: LastEpoch,
): Promise<never> {
  const signal = interrupt.received ?? 'SIGINT';
  const finished = last.epoch;
  const head = `${signal}: training stopped after epoch ${finished} of ${plan.epochs}`;
  if (!last.restore())
    throw new StoppedRun(`${signal}: training stopped during epoch 1; nothing to save`, 130);
  if (plan.out === undefined) throw new StoppedRun(`${head}; nothing saved (no --out)`, 130);
  const dir = interruptedDir(plan.out);
  const logs = last.history.find((h) => h.epoch === finished);
  await saveMarked(
    plan,
    dir,
    { reason: 'interrupted', signal, epochs: finished, of: plan.epochs },
    logs?.loss,
  );
  throw new StoppedRun(
    `${head}; saved that epoch's weights as a checkpoint in ${dir} (marked "interrupted" in its model.json)`,
    130,
  );
}

/**
 * After a non-finite loss: the last good weights (which the Learner kept in the model) saved at
 * `--out`, marked as diverged, then a StoppedRun with status 1 saying where and from when.
 */
export async function saveDiverged(plan: CheckpointPlan, error: TrainingDivergedError): Promise<never> {
  const { epoch, kept } = error;
  const when =
    kept.batch === 0 ? `after epoch ${kept.epoch - 1}` : `after batch ${kept.batch} of epoch ${kept.epoch}`;
  const head = `training diverged: the loss became ${error.loss} at epoch ${epoch} of ${plan.epochs}, batch ${error.batch}`;
  const advice = 'Try a smaller --lr or scaled inputs.';
  if (kept.epoch === 1 && kept.batch === 0) {
    throw new StoppedRun(`${head}; no step had a finite loss, so nothing was saved. ${advice}`, 1);
  }
  if (plan.out === undefined) {
    throw new StoppedRun(`${head}; the last good weights (${when}) were not saved (no --out). ${advice}`, 1);
  }
  await saveMarked(plan, plan.out, { reason: 'diverged', epoch, batch: error.batch, kept }, undefined);
  throw new StoppedRun(
    `${head}; saved the last good weights (${when}) to ${plan.out} (marked "diverged" in its model.json). ${advice}`,
    1,
  );
}

import type { BundleInfo, Callback } from '@descent/train';
import { CSVLogger, ModelCheckpoint } from '@descent/train/node';

/** `--checkpoint DIR` and `--log-csv FILE` of `descent train`. */
export interface CallbackFlags {
  checkpoint?: string;
  logCsv?: string;
}

/**
 * The callbacks the flags ask for: bundles of the best epoch (by validation loss, or training loss
 * without validation data) and of the last one in DIR/best and DIR/last, and a CSV row per epoch.
 * `info` is what the final bundle records, so a checkpoint loads and predicts like it.
 */
export function trainingCallbacks(flags: CallbackFlags, info: BundleInfo): Callback[] {
  const callbacks: Callback[] = [];
  if (flags.checkpoint) callbacks.push(new ModelCheckpoint({ dir: flags.checkpoint, info }));
  if (flags.logCsv) callbacks.push(new CSVLogger(flags.logCsv));
  return callbacks;
}

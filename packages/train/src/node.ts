import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Module } from '@descent/layers';
import { BundleError, type BundleManifest, deserializeBundle, WEIGHTS_FILE } from './bundle';

export { saveBundle } from './save-bundle';

/** Loads a bundle folder back into an identical model. */
export async function loadBundle(dir: string): Promise<{ model: Module; manifest: BundleManifest }> {
  const jsonPath = join(dir, 'model.json');
  const json = await readFile(jsonPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new BundleError(
      err.code === 'ENOENT' ? `${dir}: not a descent bundle (no model.json)` : `${jsonPath}: ${err.message}`,
    );
  });
  const weightsPath = join(dir, WEIGHTS_FILE);
  const weights = await readFile(weightsPath).catch((err: NodeJS.ErrnoException) => {
    throw new BundleError(`${weightsPath}: ${err.code === 'ENOENT' ? 'missing' : err.message}`);
  });
  return deserializeBundle(json, new Uint8Array(weights.buffer, weights.byteOffset, weights.length), dir);
}

export { ModelCheckpoint, type ModelCheckpointOptions } from './callbacks-checkpoint';
export { CSVLogger } from './callbacks-csv-logger';
export { fitParallel, type ParallelFitOptions } from './parallel/fit-parallel';
export { WorkerFailedError } from './parallel/replica-pool';

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built worker's file name, next to dist/node.js (a tsup entry of this package). */
export const WORKER_FILE = 'parallel-worker.js';

/**
 * The folder of the running @descent/train module: dist/ in the published package (ESM or CJS
 * build), src/parallel/ when its tests run on the sources.
 */
export function moduleDir(): string {
  // tsup's shims give the CJS build an import.meta.url (from __filename).
  return dirname(fileURLToPath(import.meta.url));
}

/**
 * Where the worker script is. The ESM build serves both builds: a worker is its own isolate, so
 * the CJS main thread and an ESM worker share no module instances that could disagree. Running
 * from the sources (tests), the script comes from the package's dist/ and needs a build first.
 */
export function workerScript(dir = moduleDir()): string {
  const candidates = [join(dir, WORKER_FILE), join(dir, '..', '..', 'dist', WORKER_FILE)];
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new Error(
      `fitParallel: the worker script ${WORKER_FILE} was not found (looked in ${candidates.join(', ')}); build @descent/train first (tsup)`,
    );
  }
  return found;
}

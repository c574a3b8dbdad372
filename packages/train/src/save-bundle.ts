import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Module } from '@descent/layers';
import { BundleError, type BundleInfo, type BundleManifest, serializeBundle } from './bundle';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Writes a bundle folder atomically: both files go to a temporary sibling folder that is then
 * renamed into place, so a crash leaves either the old bundle or the new one, never half of one.
 * An existing folder is replaced only if it is a bundle itself.
 */
export async function saveBundle(dir: string, model: Module, info: BundleInfo): Promise<BundleManifest> {
  const target = resolve(dir);
  if ((await exists(target)) && !(await exists(join(target, 'model.json')))) {
    throw new BundleError(
      `${dir}: exists and is not a descent bundle (no model.json); refusing to replace it`,
    );
  }
  const { manifest, json, weights } = await serializeBundle(model, info);
  await mkdir(dirname(target), { recursive: true });
  const tmp = await mkdtemp(join(dirname(target), `.${basename(target)}.tmp-`));
  try {
    await writeFile(join(tmp, manifest.weights.file), weights);
    await writeFile(join(tmp, 'model.json'), json);
    if (await exists(target)) {
      const old = `${tmp}.old`;
      await rename(target, old);
      await rename(tmp, target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, target);
    }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return manifest;
}

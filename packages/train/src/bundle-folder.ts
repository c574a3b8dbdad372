import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import type { Module } from '@descent/layers';
import { checkOptions } from '@descent/tensor';
import {
  BundleError,
  type BundleInfo,
  type BundleManifest,
  deserializeBundle,
  parseManifest,
  serializeBundle,
  sha256,
  WEIGHTS_FILE,
} from './bundle';
import {
  type BundleFs,
  errorCode,
  nodeBundleFs,
  removeTree,
  statOrNothing,
  syncFolder,
  writeDurable,
} from './bundle-fs';
import { type BundleLimits, bundleLimits } from './bundle-limits';

const MANIFEST_FILE = 'model.json';

/** The temporary folders of this process's saves still running: never leftovers to clean. */
const running = new Set<string>();

/** Options for saving a model bundle folder: the file system to use. */
export interface SaveBundleOptions {
  /** The file-system calls to make (tests inject failures here); Node's own by default. */
  fs?: BundleFs;
}

/** Options for loading a model bundle folder: the file system and size limits. */
export interface LoadBundleOptions extends SaveBundleOptions {
  /** Raise (or lower) what the loader accepts; see `DEFAULT_BUNDLE_LIMITS`. */
  limits?: Partial<BundleLimits>;
}

/**
 * Saves a bundle folder so that a crash at any moment leaves the old bundle or the new one:
 *
 * 1. both files go to a new sibling `.NAME.tmp-PID-RANDOM`, each flushed to the disk, then the folder;
 * 2. an existing bundle is renamed aside to `<that>.old`, the new folder renamed in, the parent flushed;
 * 3. the old folder is deleted.
 *
 * Between the two renames nothing is at `dir`, but a complete new bundle is beside it: the next
 * save or load (`recoverBundle`) renames it in. An existing folder is replaced only if it is a
 * bundle itself.
 */
export async function saveBundle(
  dir: string,
  model: Module,
  info: BundleInfo,
  options?: SaveBundleOptions,
): Promise<BundleManifest> {
  const { fs: files = nodeBundleFs } = checkOptions<SaveBundleOptions>('saveBundle', options, ['fs']);
  const target = resolve(dir);
  const { manifest, json, weights } = await serializeBundle(model, info);
  await recoverBundle(dir, { fs: files }).catch(() => undefined);
  const existing = await statOrNothing(files, target).catch((err) => {
    throw saveError(dir, err);
  });
  if (existing && !existing.isDirectory()) {
    throw new BundleError(`${dir}: expected a bundle folder or a new name, found a file`);
  }
  const manifestThere =
    existing &&
    (await statOrNothing(files, join(target, MANIFEST_FILE)).catch((err) => {
      throw saveError(dir, err);
    }));
  if (existing && !manifestThere) {
    throw new BundleError(
      `${dir}: exists and is not a descent bundle (no model.json); refusing to replace it`,
    );
  }
  const tmp = join(
    dirname(target),
    `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  const old = `${tmp}.old`;
  let movedAside = false;
  running.add(tmp);
  try {
    await files.mkdir(dirname(target), true);
    await files.mkdir(tmp);
    await writeDurable(files, join(tmp, WEIGHTS_FILE), weights);
    await writeDurable(files, join(tmp, MANIFEST_FILE), new TextEncoder().encode(json));
    await syncFolder(files, tmp);
    if (existing) {
      await files.rename(target, old);
      movedAside = true;
    }
    await files.rename(tmp, target);
    movedAside = false;
    await syncFolder(files, dirname(target));
  } catch (err) {
    // Undo what can be undone; a killed process does none of this, and recoverBundle does it later.
    if (movedAside) await files.rename(old, target).catch(() => undefined);
    await removeTree(files, tmp).catch(() => undefined);
    throw saveError(dir, err);
  } finally {
    running.delete(tmp);
  }
  if (existing) await removeTree(files, old).catch(() => undefined);
  return manifest;
}

const reasons: Record<string, string> = {
  ENOTDIR: 'a part of the path that is a file, not a folder',
  EACCES: 'no permission to write there',
  EPERM: 'no permission to write there',
  EROFS: 'a read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota used up',
  ENAMETOOLONG: 'a name too long for the file system',
  EISDIR: 'a folder where a file should be',
  ENOENT: 'a parent folder that cannot be made there',
  EEXIST: 'a name already taken',
  ELOOP: 'a loop of symbolic links',
};

/** An error of the file system as the user's path sees it, never naming the temporary folder. */
function saveError(dir: string, err: unknown): Error {
  if (err instanceof BundleError) return err;
  const code = errorCode(err);
  if (code === undefined) return err as Error;
  return new BundleError(
    `${dir}: expected a folder the bundle can be written to, found ${reasons[code] ?? 'an error'} (${code})`,
  );
}

/** Loads a bundle folder back into an identical model, after settling any interrupted save. */
export async function loadBundle(
  dir: string,
  options?: LoadBundleOptions,
): Promise<{ model: Module; manifest: BundleManifest }> {
  const { fs: files = nodeBundleFs, limits: given } = checkOptions<LoadBundleOptions>('loadBundle', options, [
    'fs',
    'limits',
  ]);
  const limits = bundleLimits('loadBundle', given);
  await recoverBundle(dir, { fs: files }).catch(() => undefined);
  const jsonPath = join(dir, MANIFEST_FILE);
  const weightsPath = join(dir, WEIGHTS_FILE);
  const json = await readLimited(files, jsonPath, limits.maxManifestBytes, 'maxManifestBytes', dir);
  const weights = await readLimited(files, weightsPath, limits.maxWeightsBytes, 'maxWeightsBytes', dir);
  return deserializeBundle(new TextDecoder().decode(json), weights, dir, { limits });
}

/** A file's bytes, after checking its size against the limit (before reading anything). */
async function readLimited(
  files: BundleFs,
  path: string,
  limit: number,
  name: keyof BundleLimits,
  dir: string,
): Promise<Uint8Array> {
  const failure = (err: unknown) => {
    const code = errorCode(err);
    if (code === 'ENOENT' && path.endsWith(MANIFEST_FILE))
      return new BundleError(`${dir}: not a descent bundle (no model.json)`);
    if (code === 'ENOENT') return new BundleError(`${path}: missing`);
    if (code === 'ENOTDIR') return new BundleError(`${dir}: expected a bundle folder, found a file`);
    return new BundleError(
      `${path}: ${code === 'EISDIR' ? 'expected a file, found a folder' : (err as Error).message}`,
    );
  };
  const stat = await files.stat(path).catch((err) => {
    throw failure(err);
  });
  if (stat.isDirectory()) throw new BundleError(`${path}: expected a file, found a folder`);
  if (stat.size > limit) {
    throw new BundleError(
      `${path}: expected at most ${limit} bytes (limits.${name}), found ${stat.size}`,
      name,
    );
  }
  return files.readFile(path).catch((err) => {
    throw failure(err);
  });
}

/** `.NAME.tmp-PID-RANDOM` or its `.old`: the pid says whether the save that made it may still run. */
function isLeftover(path: string, name: string, prefix: string): boolean {
  const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return !running.has(path.replace(/\.old$/, ''));
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return errorCode(err) === 'ESRCH';
  }
}

/** A complete bundle: model.json parses and the weights have its size and checksum (no model is built). */
async function isComplete(files: BundleFs, folder: string): Promise<BundleManifest | undefined> {
  try {
    const text = new TextDecoder().decode(await files.readFile(join(folder, MANIFEST_FILE)));
    const manifest = parseManifest(text, join(folder, MANIFEST_FILE));
    const weights = await files.readFile(join(folder, WEIGHTS_FILE));
    if (weights.length !== manifest.weights.bytes) return undefined;
    return (await sha256(weights)) === manifest.weights.sha256 ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Settles what an interrupted save left beside `dir`. With a folder at `dir`, the leftovers are
 * only debris and are deleted. With none, the newest complete leftover is renamed into place (the
 * new bundle, fully written before the old one was moved aside; else the old one) and the rest
 * deleted. Leftovers of a save still running, in this process or another, are left alone.
 * Returns what it did, e.g. `["recovered .m.tmp-41-a1b2c3d4", "removed .m.tmp-41-a1b2c3d4.old"]`.
 */
export async function recoverBundle(dir: string, options?: SaveBundleOptions): Promise<string[]> {
  const { fs: files = nodeBundleFs } = checkOptions<SaveBundleOptions>('recoverBundle', options, ['fs']);
  const target = resolve(dir);
  const parent = dirname(target);
  const prefix = `.${basename(target)}.tmp-`;
  let names: string[];
  try {
    names = await files.readdir(parent);
  } catch {
    return [];
  }
  const leftovers = names
    .filter((n) => n.startsWith(prefix) && isLeftover(join(parent, n), n, prefix))
    .map((n) => join(parent, n));
  if (leftovers.length === 0) return [];
  const done: string[] = [];
  if (!(await statOrNothing(files, target))) {
    const complete: { path: string; createdAt: string }[] = [];
    for (const path of leftovers) {
      const manifest = await isComplete(files, path);
      if (manifest) complete.push({ path, createdAt: String(manifest.createdAt) });
    }
    // A new folder before an old one; among several interrupted saves, the latest.
    complete.sort(
      (a, b) =>
        Number(a.path.endsWith('.old')) - Number(b.path.endsWith('.old')) ||
        b.createdAt.localeCompare(a.createdAt),
    );
    if (complete.length > 0) {
      await files.rename(complete[0].path, target);
      await syncFolder(files, parent);
      done.push(`recovered ${basename(complete[0].path)}`);
    }
  }
  for (const path of leftovers) {
    if (done.includes(`recovered ${basename(path)}`)) continue;
    await removeTree(files, path);
    done.push(`removed ${basename(path)}`);
  }
  return done;
}

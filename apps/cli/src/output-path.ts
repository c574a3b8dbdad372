import { constants } from 'node:fs';
import { access, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './usage-error';
import { writeFileAtomic } from './write-atomic';

// Output paths are checked before the long work starts, so a typo does not cost a whole training
// run, and a write that still fails names the option and the path, never a temporary file.

const stats = (path: string) => stat(path).catch(() => undefined);

async function checkWritableFolder(flag: string, path: string, dir: string): Promise<void> {
  const ok = await access(dir, constants.W_OK).then(
    () => true,
    () => false,
  );
  if (!ok)
    throw new UsageError(`${flag} ${path}: expected a folder you can write in, found ${dir} read-only`);
}

/** `--out file.csv`, `--report file.html`: a file name in an existing, writable folder. */
export async function checkOutFile(flag: string, path: string): Promise<void> {
  if (path.trim() === '') throw new UsageError(`${flag}: expected a file name, found ""`);
  const dir = dirname(resolve(path));
  const info = await stats(dir);
  if (!info?.isDirectory())
    throw new UsageError(`${flag} ${path}: expected a file in an existing folder, found no folder ${dir}`);
  const existing = await stats(path);
  if (existing?.isDirectory()) throw new UsageError(`${flag} ${path}: expected a file name, found a folder`);
  if (existing && !existing.isFile())
    throw new UsageError(`${flag} ${path}: expected a file name, found something that is not a file`);
  await checkWritableFolder(flag, path, dir);
}

/**
 * `--out DIR` for a bundle: a new folder (its missing parents are made), or a bundle to replace.
 * Refused: a file, a folder of something else, a path through a file, a read-only folder.
 */
export async function checkOutBundle(flag: string, path: string): Promise<void> {
  if (path.trim() === '') throw new UsageError(`${flag}: expected a folder name, found ""`);
  const full = resolve(path);
  const existing = await stats(full);
  if (existing && !existing.isDirectory())
    throw new UsageError(`${flag} ${path}: expected a bundle folder, found a file`);
  if (existing) {
    const manifest = await stats(join(full, 'model.json'));
    const empty = (await readdir(full)).length === 0;
    if (!manifest && !empty)
      throw new UsageError(
        `${flag} ${path}: expected a new folder or a descent bundle to replace, found a folder without model.json`,
      );
  }
  // The nearest folder that exists must be a folder we can write in.
  let above = dirname(full);
  let info = await stats(above);
  while (!info && dirname(above) !== above) {
    above = dirname(above);
    info = await stats(above);
  }
  if (info && !info.isDirectory())
    throw new UsageError(`${flag} ${path}: expected a folder path, found ${above}, a file, on the way`);
  await checkWritableFolder(flag, path, existing ? full : above);
}

/** Writes an output file whole; a failure names the option and the path, not a temporary file. */
export async function writeOutFile(flag: string, path: string, contents: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, contents);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why: Record<string, string> = {
      ENOENT: 'its folder does not exist',
      ENOTDIR: 'a part of the path is a file',
      EISDIR: 'it is a folder',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      EROFS: 'the file system is read-only',
      ENOSPC: 'the disk is full',
    };
    throw new Error(
      `${flag} ${path}: could not write the file (${(code && why[code]) ?? (err as Error).message})`,
    );
  }
}

/**
 * The command that wrote an existing report at `path` (from its footer), when it is another
 * command's: `evaluate --report` says so before replacing a training report.
 */
export async function reportWrittenBy(path: string, command: string): Promise<string | undefined> {
  const html = await readFile(path, 'utf8').catch(() => undefined);
  const writer = html?.match(/Made by <code>([^<]+)<\/code>/)?.[1];
  return writer && writer !== command ? writer : undefined;
}

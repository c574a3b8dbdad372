import { rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../usage-error';
import { writeFileAtomic } from '../write-atomic';

/** Checked before the long work starts, so a typo in a path does not cost the whole explanation. */
export async function checkWritable(flag: string, path: string): Promise<void> {
  const dir = dirname(resolve(path));
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new UsageError(`${flag} ${path}: expected a file in an existing folder, found no folder ${dir}`);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`${flag} ${path}: expected a file name, found a folder`);
}

/** Writes the report and the values file; if the second write fails, the first is removed too. */
export async function writeOutputs(files: [string, string][]): Promise<void> {
  const written: string[] = [];
  try {
    for (const [path, text] of files) {
      await writeFileAtomic(path, text);
      written.push(path);
    }
  } catch (err) {
    await Promise.all(written.map((p) => rm(p, { force: true })));
    throw err;
  }
}

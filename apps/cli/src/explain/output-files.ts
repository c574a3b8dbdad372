import { rm } from 'node:fs/promises';
import { checkOutFile } from '../output-path';
import { writeFileAtomic } from '../write-atomic';

/** Checked before the long work starts, so a typo in a path does not cost the whole explanation. */
export const checkWritable = checkOutFile;

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

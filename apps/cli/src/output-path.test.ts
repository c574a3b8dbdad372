import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutBundle, checkOutFile, reportWrittenBy, writeOutFile } from './output-path';

const tmp = mkdtempSync(join(tmpdir(), 'descent-output-path-'));
writeFileSync(join(tmp, 'file.txt'), 'x');
mkdirSync(join(tmp, 'other'));
writeFileSync(join(tmp, 'other', 'notes.txt'), 'x');
mkdirSync(join(tmp, 'bundle'));
writeFileSync(join(tmp, 'bundle', 'model.json'), '{}');

describe('output paths', () => {
  it('accepts a new file in an existing folder and refuses the rest naming the option and path', async () => {
    await expect(checkOutFile('--out', join(tmp, 'new.csv'))).resolves.toBeUndefined();
    await expect(checkOutFile('--out', join(tmp, 'none', 'a.csv'))).rejects.toThrow(
      /--out .*none.*found no folder/,
    );
    await expect(checkOutFile('--report', tmp)).rejects.toThrow(
      /--report .*expected a file name, found a folder/,
    );
    await expect(checkOutFile('--out', '')).rejects.toThrow('--out: expected a file name, found ""');
  });

  it('accepts a new folder (parents made later) or a bundle to replace; refuses files and other folders', async () => {
    await expect(checkOutBundle('--out', join(tmp, 'a', 'b', 'c'))).resolves.toBeUndefined();
    await expect(checkOutBundle('--out', join(tmp, 'bundle'))).resolves.toBeUndefined();
    await expect(checkOutBundle('--out', join(tmp, 'file.txt'))).rejects.toThrow(/found a file$/);
    await expect(checkOutBundle('--out', join(tmp, 'file.txt', 'm'))).rejects.toThrow(
      /file\.txt, a file, on the way/,
    );
    await expect(checkOutBundle('--out', join(tmp, 'other'))).rejects.toThrow(/without model\.json/);
  });

  it('names the option and path when a write fails, and leaves no temporary file', async () => {
    const before = readdirSync(tmp);
    await expect(writeOutFile('--out', join(tmp, 'none', 'x.csv'), 'a')).rejects.toThrow(
      /^--out .*none.x\.csv: could not write the file \(its folder does not exist\)$/,
    );
    await expect(writeOutFile('--out', join(tmp, 'other'), 'a')).rejects.toThrow(
      /--out .*other: could not write the file \(it is a folder\)/,
    );
    expect(readdirSync(tmp)).toEqual(before);
  });

  it('tells which other command wrote a report that is about to be replaced', async () => {
    const path = join(tmp, 'report.html');
    writeFileSync(path, '<footer>Made by <code>descent train</code>. Self-contained</footer>');
    expect(await reportWrittenBy(path, 'descent evaluate')).toBe('descent train');
    expect(await reportWrittenBy(path, 'descent train')).toBeUndefined();
    expect(await reportWrittenBy(join(tmp, 'none.html'), 'descent evaluate')).toBeUndefined();
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { TableError } from './errors';
import { type ReadProgress, readCsv } from './node';
import { getColumn } from './table';
import { CPS_WAGES_CSV } from './tabular-data/cps-wages-csv';
import { PENGUINS_CSV } from './tabular-data/penguins-csv';

const dir = mkdtempSync(join(tmpdir(), 'descent-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CSV of `n` rows with a numeric, a categorical and a sometimes-missing column. */
function makeCsv(n: number): string {
  const lines = ['id,group,value'];
  for (let i = 1; i <= n; i++) lines.push(`${i},g${i % 7},${i % 10 === 0 ? 'NA' : (i * 0.25).toFixed(2)}`);
  return `${lines.join('\n')}\n`;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('readCsv', () => {
  it('streams a file larger than one chunk into the same table parseCsv gives', async () => {
    const text = makeCsv(3000);
    const path = join(dir, 'big.csv');
    writeFileSync(path, text);
    const progress: ReadProgress[] = [];
    const table = await readCsv(path, { chunkSize: 4 * 1024, onProgress: (p) => progress.push(p) });
    // Many chunks went through the parser, each reported after it was parsed.
    expect(progress.length).toBeGreaterThanOrEqual(Math.floor(text.length / (4 * 1024)));
    expect(progress.at(-1)).toEqual({ bytes: text.length, totalBytes: text.length, rows: 3000 });
    for (let k = 1; k < progress.length; k++)
      expect(progress[k].rows).toBeGreaterThanOrEqual(progress[k - 1].rows);
    expect(table.source).toBe(path);
    const reference = parseCsv(text, { source: path });
    expect(table).toEqual(reference);
    const value = getColumn(table, 'value');
    expect(value.kind === 'numeric' && [value.values[0], value.values[9], value.values[2998]]).toEqual([
      0.25,
      Number.NaN,
      749.75,
    ]);
  });

  it('gives the same row-numbered error as parseCsv, mid-stream', async () => {
    const text = `${makeCsv(2000).trimEnd()}\n2001,g1,oops\n`;
    const path = join(dir, 'bad.csv');
    writeFileSync(path, text);
    const err = await rejection(readCsv(path, { numeric: ['value'], chunkSize: 4096 }));
    expect(err).toBeInstanceOf(TableError);
    expect(err.message).toBe(`${path}: row 2001, column "value": expected a number, found "oops"`);
  });

  it('says plainly when the file does not exist or is a directory', async () => {
    const missing = await rejection(readCsv(join(dir, 'nope.csv')));
    expect(missing).toBeInstanceOf(TableError);
    expect(missing.message).toBe(
      `${join(dir, 'nope.csv')}: file not found (resolved to ${join(dir, 'nope.csv')})`,
    );
    expect((await rejection(readCsv(dir))).message).toBe(
      `${dir}: expected a file, found a directory (${dir})`,
    );
  });

  it('reports an empty file by name', async () => {
    const path = join(dir, 'empty.csv');
    writeFileSync(path, '');
    expect((await rejection(readCsv(path))).message).toBe(
      `${path}: expected a header row, found an empty file`,
    );
  });

  it('stops when its signal is aborted', async () => {
    const path = join(dir, 'abort.csv');
    writeFileSync(path, makeCsv(3000));
    const controller = new AbortController();
    const err = await rejection(
      readCsv(path, {
        chunkSize: 4096,
        signal: controller.signal,
        onProgress: () => controller.abort(new Error('stop')),
      }),
    );
    expect(err.message).toBe('stop');
  });

  it('reads the shipped CSV files to the same text the package embeds', async () => {
    const root = join(__dirname, '..', 'data');
    expect(readFileSync(join(root, 'penguins.csv'), 'utf8')).toBe(PENGUINS_CSV);
    expect(readFileSync(join(root, 'cps-wages-1985.csv'), 'utf8')).toBe(CPS_WAGES_CSV);
    const t = await readCsv(join(root, 'penguins.csv'));
    expect([t.rows, t.columns.length]).toEqual([344, 7]);
  });

  it('validates its arguments', async () => {
    await expect(readCsv('')).rejects.toThrow('path: expected a file path, found ""');
    await expect(readCsv('x.csv', { chunkSize: 0 })).rejects.toThrow(
      'chunkSize: expected a positive integer',
    );
  });
});

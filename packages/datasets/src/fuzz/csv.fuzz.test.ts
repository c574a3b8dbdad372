import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../csv';
import { TableError } from '../errors';
import { readCsv } from '../node';
import type { Table } from '../table';
import { fuzz, fuzzCases, type Mutation } from './mutate';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const SEEDS = [
  'age,height,species,sex\n31,1.72,Adelie,MALE\n45,1.6,Gentoo,FEMALE\nNA,1.81,"Chinstrap, south",MALE\n28,,Adelie,?\n',
  'x,y\n-1.5,0\n2e3,1\n.5,0\n+7,1\n1e-300,0\n',
  '"a ""quoted"" name",b\n"line\nbreak",2\n3,4\n',
  'only,a,header\n',
  '\ufeffk;v\n1;2\n3;4\n',
].map(encode);

/** Writes a cell a reader must refuse or read as a finite number: past float64, long, odd. */
const oddNumber: Mutation = (bytes, g) => {
  const text = decode(bytes);
  const cells = ['1e400', '-1e999', '1e308', `${'9'.repeat(400)}`, '0x1F', 'Infinity', '-0', '1e-400', 'NaN'];
  const at = g.int(text.length + 1);
  return encode(`${text.slice(0, at)}${cells[g.int(cells.length)]}${text.slice(at)}`);
};

/** A stray quote, separator or line break: unclosed quotes and ragged rows. */
const stray: Mutation = (bytes, g) => {
  const text = decode(bytes);
  const at = g.int(text.length + 1);
  return encode(`${text.slice(0, at)}${['"', ',', '\n', '\r', ';', '\0'][g.int(6)]}${text.slice(at)}`);
};

const mutations = { oddNumber, stray };

/** A read table must hold finite numbers or NaN (missing) only. */
function checked(table: Table): number {
  for (const c of table.columns) {
    if (c.kind === 'numeric' && c.values.some((v) => v === Infinity || v === -Infinity)) {
      throw new Error(`column ${c.name} holds an infinite number`);
    }
  }
  return table.rows;
}

const tmp = mkdtempSync(join(tmpdir(), 'csv-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('CSV readers under fuzzing', () => {
  it('parseCsv throws only TableError, never hangs and never keeps an infinite number', async () => {
    const report = await fuzz(
      {
        name: 'parseCsv',
        seeds: SEEDS,
        mutations,
        read: (bytes) => checked(parseCsv(decode(bytes), { source: 'fuzz.csv' })),
        expected: (err) => err instanceof TableError && err.message.startsWith('fuzz.csv: '),
        limit: 1e6,
      },
      fuzzCases(400),
      1,
    );
    expect(report.failures).toEqual([]);
    expect(report.outcomes.ok).toBeGreaterThan(0);
    expect(report.outcomes.TableError).toBeGreaterThan(0);
  });

  it('readCsv does the same from files', async () => {
    let n = 0;
    const report = await fuzz(
      {
        name: 'readCsv',
        seeds: SEEDS,
        mutations,
        read: async (bytes) => {
          const path = join(tmp, `case-${n++ % 8}.csv`);
          writeFileSync(path, bytes);
          return checked(await readCsv(path, { chunkSize: 64 }));
        },
        expected: (err) => err instanceof TableError && err.message.startsWith(tmp),
        limit: 1e6,
      },
      fuzzCases(150),
      2,
    );
    expect(report.failures).toEqual([]);
    expect(report.outcomes.TableError).toBeGreaterThan(0);
  });
});

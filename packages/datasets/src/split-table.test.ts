import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { penguins } from './penguins';
import { trainTestSplit } from './split';
import { splitTable } from './split-table';
import { getColumn } from './table';
import { TabularEncoder } from './tabular-encoder';

describe('splitTable', () => {
  it('picks the same rows as trainTestSplit on the encoded dataset (stratified, seeded)', () => {
    const p = penguins();
    const encoder = new TabularEncoder().fit(p, { target: 'sex' });
    const dataset = encoder.transformDataset(p);
    for (const seed of [0, 7]) {
      const tables = splitTable(p, { testSize: 0.25, seed, stratifyBy: 'sex' });
      const sets = trainTestSplit(dataset, { testSize: 0.25, seed });
      expect(encoder.transformDataset(tables.train)).toEqual(sets.train);
      expect(encoder.transformDataset(tables.test)).toEqual(sets.test);
    }
  });

  it('keeps class proportions, covers every row once and repeats for a seed', () => {
    const p = penguins();
    const { train, test } = splitTable(p, { testSize: 0.2, seed: 3, stratifyBy: 'sex' });
    const all = [...train.rowNumbers, ...test.rowNumbers].sort((a, b) => a - b);
    expect(all).toEqual([...p.rowNumbers].sort((a, b) => a - b));
    const males = (rows: typeof train) => {
      const sex = getColumn(rows, 'sex');
      return sex.kind === 'categorical'
        ? Array.from(sex.codes).filter((c) => sex.categories[c] === 'MALE').length
        : -1;
    };
    // 168 males, 165 females: round(168 * 0.2) = 34 and round(165 * 0.2) = 33 go to test.
    expect([test.rows, males(test)]).toEqual([67, 34]);
    expect(splitTable(p, { testSize: 0.2, seed: 3, stratifyBy: 'sex' }).test.rowNumbers).toEqual(
      test.rowNumbers,
    );
    expect(splitTable(p, { testSize: 0.2, seed: 4, stratifyBy: 'sex' }).test.rowNumbers).not.toEqual(
      test.rowNumbers,
    );
  });

  it('refuses to stratify by a column with missing values, naming the row', () => {
    const t = parseCsv('x,y\n1,a\n2,b\n3,NA\n4,a\n', { source: 's.csv' });
    expect(() => splitTable(t, { stratifyBy: 'y' })).toThrow(
      's.csv: row 3, column "y": stratifyBy needs a value in every row, found a missing value',
    );
    expect(() => splitTable(t, { stratifyBy: 'z' })).toThrow('column: expected one of the columns of s.csv');
    expect(splitTable(t, { testSize: 0.5 }).test.rows).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { checkTable, dropMissing, getColumn, missingCounts, selectRows, tableRow } from './table';

const t = () => parseCsv('a,b\n1,x\nNA,y\n3,\n4,x\n', { source: 't.csv' });

describe('table helpers', () => {
  it('selectRows copies the rows asked for, in order, with their source row numbers', () => {
    const s = selectRows(t(), [3, 0, 3]);
    expect([tableRow(s, 0), tableRow(s, 1), tableRow(s, 2)]).toEqual([
      { a: 4, b: 'x' },
      { a: 1, b: 'x' },
      { a: 4, b: 'x' },
    ]);
    expect(Array.from(s.rowNumbers)).toEqual([4, 1, 4]);
    expect(() => selectRows(t(), [4])).toThrow('indices[0]: expected an integer index in [0, 4), found 4');
  });

  it('missingCounts and dropMissing agree, and dropMissing notes what it did', () => {
    expect(missingCounts(t())).toEqual({ a: 1, b: 1 });
    const all = dropMissing(t());
    expect(Array.from(all.rowNumbers)).toEqual([1, 4]);
    expect(all.notes.at(-1)).toBe('dropMissing: dropped 2 of 4 rows with a missing value in any column');
    const onlyB = dropMissing(t(), ['b']);
    expect(Array.from(onlyB.rowNumbers)).toEqual([1, 2, 4]);
    expect(missingCounts(onlyB)).toEqual({ a: 1, b: 0 });
  });

  it('getColumn lists the columns there are', () => {
    expect(getColumn(t(), 'b').kind).toBe('categorical');
    expect(() => getColumn(t(), 'c')).toThrow(
      'column: expected one of the columns of t.csv ("a", "b"), found "c"',
    );
  });

  it('checkTable catches parts that disagree', () => {
    const bad = { ...t(), rows: 5 };
    expect(() => checkTable('table', bad)).toThrow('table.rowNumbers: expected an Int32Array of length 5');
    expect(() => checkTable('table', [])).toThrow('table: expected a Table');
  });
});

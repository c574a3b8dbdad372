import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { TableError } from './errors';
import { getColumn, tableRow } from './table';

const values = (t: ReturnType<typeof parseCsv>, name: string) => {
  const c = getColumn(t, name);
  return c.kind === 'numeric'
    ? Array.from(c.values)
    : Array.from(c.codes, (k) => (k < 0 ? null : c.categories[k]));
};

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TableError);
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('parseCsv', () => {
  it('reads the header, quoted fields, CRLF, a BOM and blank lines', () => {
    const t = parseCsv(
      '\ufeffname,score,note\r\n"Smith, J",1.5,"said ""hi"""\r\n\r\nLee,-2e3,"two\nlines"\r\n',
    );
    expect(t.source).toBe('<string>');
    expect(t.rows).toBe(2);
    expect(t.columns.map((c) => `${c.name}:${c.kind}`)).toEqual([
      'name:categorical',
      'score:numeric',
      'note:categorical',
    ]);
    expect(values(t, 'name')).toEqual(['Smith, J', 'Lee']);
    expect(values(t, 'score')).toEqual([1.5, -2000]);
    expect(values(t, 'note')).toEqual(['said "hi"', 'two\nlines']);
    // Row numbers count data records: the blank line is no record.
    expect(Array.from(t.rowNumbers)).toEqual([1, 2]);
  });

  it('infers numeric only when every non-missing value is a plain decimal number', () => {
    const t = parseCsv('a,b,c,d,e\n1,0x10,1,NA,.5\n2,3,Infinity,?,+4\n3,4, 7 ,,-1e-2\n');
    expect(t.columns.map((c) => c.kind)).toEqual([
      'numeric',
      'categorical',
      'categorical',
      'numeric',
      'numeric',
    ]);
    expect(values(t, 'd')).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(values(t, 'e')).toEqual([0.5, 4, -0.01]);
    expect(values(t, 'c')).toEqual(['1', 'Infinity', '7']); // trimmed
  });

  it('keeps categories in order of first appearance and stores missing as code -1 / NaN', () => {
    const t = parseCsv('x,y\nb,1\na,NaN\nb,null\n,2\n');
    const x = getColumn(t, 'x');
    expect(x.kind === 'categorical' && x.categories).toEqual(['b', 'a']);
    expect(x.kind === 'categorical' && Array.from(x.codes)).toEqual([0, 1, 0, -1]);
    expect(tableRow(t, 2)).toEqual({ x: 'b', y: null });
  });

  it('honours numeric/categorical overrides and custom missing values', () => {
    const t = parseCsv('zip,flag,v\n02134,1,-\n10001,0,3\n', {
      categorical: ['zip', 'flag'],
      missingValues: ['-'],
    });
    expect(values(t, 'zip')).toEqual(['02134', '10001']);
    expect(values(t, 'flag')).toEqual(['1', '0']);
    expect(values(t, 'v')).toEqual([Number.NaN, 3]);
  });

  it('turns an inferred numeric column categorical at the first text and says so in notes', () => {
    const t = parseCsv('age\n30\n1.50\nabc\nNA\n', { source: 'data.csv' });
    expect(values(t, 'age')).toEqual(['30', '1.5', 'abc', null]);
    expect(t.notes.join('\n')).toContain(
      'column "age" was read as categorical: row 3 holds "abc" after numbers',
    );
    expect(t.columns[0]).toMatchObject({ textAfterNumbers: { row: 3, value: 'abc' } });
  });

  it('reads only the requested columns, with a delimiter', () => {
    const t = parseCsv('a;b;c\n1;x;3\n', { delimiter: ';', columns: ['c', 'a'] });
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'c']);
  });

  it("missing: 'drop' drops incomplete rows and keeps source row numbers", () => {
    const t = parseCsv('a,b\n1,x\nNA,y\n3,\n4,z\n', { missing: 'drop' });
    expect(values(t, 'a')).toEqual([1, 4]);
    expect(Array.from(t.rowNumbers)).toEqual([1, 4]);
    expect(t.notes).toContain("missing: 'drop': dropped 2 of 4 rows with a missing value");
  });

  it("missing: 'drop' looks only at the columns read", () => {
    const t = parseCsv('a,b\n1,NA\n2,y\n', { missing: 'drop', columns: ['a'] });
    expect(t.rows).toBe(2);
  });

  it("missing: 'error' names the row and column", () => {
    expect(message(() => parseCsv('a,b\n1,x\n2,NA\n', { source: 'data.csv', missing: 'error' }))).toBe(
      `data.csv: row 2, column "b": expected a value (missing: 'error'), found the missing value "NA"`,
    );
  });

  it('names the file, row and column for a text value in a numeric column', () => {
    const csv = 'id,age\n1,30\n2,31\n3,32\n4,33\n5,34\n6,35\n7,abc\n';
    const err = (() => {
      try {
        parseCsv(csv, { source: 'data.csv', numeric: ['age'] });
      } catch (e) {
        return e as TableError;
      }
    })();
    expect(err?.message).toBe('data.csv: row 7, column "age": expected a number, found "abc"');
    expect([err?.source, err?.row, err?.column]).toEqual(['data.csv', 7, 'age']);
  });

  it('rejects a row with more or fewer fields than the header', () => {
    expect(message(() => parseCsv('a,b\n1,2\n3,4,5\n'))).toBe(
      '<string>: row 2, column 3: expected 2 fields (one per header column), found 3; field 3 is "5"',
    );
    expect(message(() => parseCsv('a,b,c\n1,2,3\n4\n', { source: 'f.csv' }))).toBe(
      'f.csv: row 2, column "b": expected 3 fields (one per header column), found 1',
    );
  });

  it('rejects an empty file, a duplicate header name and unknown override columns', () => {
    expect(message(() => parseCsv('', { source: 'empty.csv' }))).toBe(
      'empty.csv: expected a header row, found an empty file',
    );
    expect(message(() => parseCsv('\n\n'))).toBe('<string>: expected a header row, found an empty file');
    expect(message(() => parseCsv('a,b,a\n1,2,3\n'))).toBe(
      '<string>: header, column 3: duplicate column name "a" (also column 1)',
    );
    expect(message(() => parseCsv('a,b\n1,2\n', { numeric: ['c'] }))).toBe(
      '<string>: header: numeric: no column "c"; the columns are "a", "b"',
    );
  });

  it('names unnamed header cells by position and accepts a header-only file', () => {
    const t = parseCsv(',x\n');
    expect(t.columns.map((c) => c.name)).toEqual(['unnamed_1', 'x']);
    expect(t.rows).toBe(0);
  });

  it("wraps csv-parse's own errors with the source and row", () => {
    expect(message(() => parseCsv('a,b\n1,2\n3,"4\n', { source: 'q.csv' }))).toMatch(
      /^q\.csv: row 2: Quote Not Closed/,
    );
  });

  it('validates its options', () => {
    expect(() => parseCsv(42 as unknown as string)).toThrow('text: expected CSV text as a string, found 42');
    expect(() => parseCsv('a\n1', { missing: 'mean' as 'drop' })).toThrow(
      "missing: expected 'keep', 'drop' or 'error'",
    );
    expect(() => parseCsv('a\n1', { numeric: ['a'], categorical: ['a'] })).toThrow(
      'numeric: expected no column also listed',
    );
    expect(() => parseCsv('a\n1', { delimiter: '' })).toThrow('delimiter: expected a non-empty string');
  });
});

describe('numbers past float64', () => {
  it('refuses 1e400 at read time, naming the source, the data row and the column by name', () => {
    const text = 'age,dose\n1,2\n3,1e400\n5,6\n';
    expect(() => parseCsv(text, { source: 'doses.csv' })).toThrow(
      'doses.csv: row 2, column "dose": expected a finite number (at most ±1.8e308), found "1e400"',
    );
    expect(() => parseCsv('x\n-1e999\n', { numeric: ['x'] })).toThrow(
      '<string>: row 1, column "x": expected a finite number (at most ±1.8e308), found "-1e999"',
    );
    // As text in a categorical column it is only a label.
    expect(values(parseCsv('x\n1e400\n', { categorical: ['x'] }), 'x')).toEqual(['1e400']);
    // 1.7e308 is still a number.
    expect(values(parseCsv('x\n1.7e308\n'), 'x')).toEqual([1.7e308]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { TableError } from './errors';
import { selectRows } from './table';
import { TabularEncoder } from './tabular-encoder';

// A small table whose encodings are worked out by hand below.
const CSV = [
  'color,size,weight,label',
  'red,1,10,yes',
  'blue,2,NA,no',
  'red,3,30,no',
  'green,NA,40,yes',
  ',5,50,yes',
].join('\n');
const table = () => parseCsv(CSV, { source: 'toy.csv' });

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

const rowsOf = (X: { data: Float32Array; rows: number; cols: number }) =>
  Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));

describe('TabularEncoder', () => {
  it("missing: 'drop' fits and encodes complete rows only", () => {
    const enc = new TabularEncoder({ missing: 'drop' }).fit(table(), { target: 'label' });
    expect(enc.classes).toEqual(['no', 'yes']);
    // Only rows 1 and 3 are complete, and both are red: blue and green never reach the fit.
    expect(enc.featureNames).toEqual(['color_red', 'size', 'weight']);
    const out = enc.transform(table());
    expect(rowsOf(out.X)).toEqual([
      [1, 1, 10],
      [1, 3, 30],
    ]);
    expect(Array.from(out.y!)).toEqual([1, 0]);
    expect(Array.from(out.rowNumbers)).toEqual([1, 3]);
    expect(out.dropped).toBe(3);
  });

  it("one-hot encodes sorted categories in place; missing: 'mean' imputes with the fitted rows' mean and mode", () => {
    const t = table();
    const train = selectRows(t, [0, 1, 2, 3]); // sizes 1, 2, 3, NA; weights 10, NA, 30, 40
    const enc = new TabularEncoder({ missing: 'mean', handleUnknown: 'ignore' }).fit(train, {
      target: 'label',
    });
    expect(enc.features).toEqual([
      { name: 'color', kind: 'categorical', categories: ['blue', 'green', 'red'], mode: 'red' },
      { name: 'size', kind: 'numeric', mean: 2 },
      { name: 'weight', kind: 'numeric', mean: 80 / 3 },
    ]);
    const out = enc.transform(t);
    expect(rowsOf(out.X)).toEqual([
      [0, 0, 1, 1, 10],
      [1, 0, 0, 2, Math.fround(80 / 3)],
      [0, 0, 1, 3, 30],
      [0, 1, 0, 2, 40],
      [0, 0, 1, 5, 50], // a missing color becomes the mode, red
    ]);
    expect(out.dropped).toBe(0);
  });

  it("missing: 'error' names the source, row and column, in fit and in transform", () => {
    expect(thrown(() => new TabularEncoder().fit(table(), { target: 'label' })).message).toBe(
      `toy.csv: row 2, column "weight": expected a value (missing: 'error'), found a missing value`,
    );
    const enc = new TabularEncoder().fit(selectRows(table(), [0, 2]), {
      target: 'label',
      features: ['size'],
    });
    const err = thrown(() => enc.transform(table()));
    expect(err).toBeInstanceOf(TableError);
    expect(err.message).toBe(
      `toy.csv: row 4, column "size": expected a value (missing: 'error'), found a missing value`,
    );
  });

  it('fits categories on train only: a test-only category is an error, or all zeros with a count', () => {
    const t = parseCsv('island,x,y\nA,1,p\nB,2,q\nA,3,q\nC,4,p\nC,5,q\n', { source: 'isl.csv' });
    const train = selectRows(t, [0, 1, 2]);
    const test = selectRows(t, [3, 4]);
    const strict = new TabularEncoder().fit(train, { target: 'y' });
    expect(thrown(() => strict.transform(test)).message).toBe(
      `isl.csv: row 4, column "island": unknown category "C" (fitted categories: "A", "B"); handleUnknown: 'ignore' encodes it as all zeros`,
    );
    const lenient = new TabularEncoder({ handleUnknown: 'ignore' }).fit(train, { target: 'y' });
    const out = lenient.transform(test);
    expect(rowsOf(out.X)).toEqual([
      [0, 0, 4],
      [0, 0, 5],
    ]);
    expect(out.unknown).toEqual({ island: 2 });
    expect(lenient.transform(train).unknown).toEqual({ island: 0 });
  });

  it('round-trips through toJSON / JSON text / fromJSON with identical output', () => {
    const t = table();
    const enc = new TabularEncoder({ missing: 'mean', handleUnknown: 'ignore' }).fit(
      selectRows(t, [0, 1, 2]),
      {
        target: 'label',
      },
    );
    const copy = TabularEncoder.fromJSON(JSON.parse(JSON.stringify(enc)));
    expect(copy.toJSON()).toEqual(enc.toJSON());
    expect(copy.transform(t)).toEqual(enc.transform(t));
    expect([copy.missing, copy.handleUnknown, copy.target]).toEqual(['mean', 'ignore', 'label']);
  });

  it('rejects malformed JSON by field', () => {
    const good = new TabularEncoder({ missing: 'drop' }).fit(table(), { target: 'label' }).toJSON();
    expect(() => TabularEncoder.fromJSON({ ...good, type: 'Other' })).toThrow(
      'json: expected an object from TabularEncoder.toJSON()',
    );
    expect(() => TabularEncoder.fromJSON({ ...good, classes: ['only'] })).toThrow(
      'json.classes: expected an array of 2 or more',
    );
    const features = [{ name: 'size', kind: 'numeric', mean: 'x' }];
    expect(() => TabularEncoder.fromJSON({ ...good, features })).toThrow(
      'json.features[0].mean: expected a finite number or null',
    );
  });

  it('encodes the target to sorted class indices; numbers sort as numbers', () => {
    const t = parseCsv('x,k\n1,10\n2,2\n3,10\n4,9\n');
    const enc = new TabularEncoder().fit(t, { target: 'k' });
    expect(enc.classes).toEqual(['2', '9', '10']);
    expect(Array.from(enc.transform(t).y!)).toEqual([2, 0, 2, 1]);
    const d = enc.transformDataset(t);
    expect([d.task, d.targetName, d.classes]).toEqual(['multiclass', 'k', ['2', '9', '10']]);
  });

  it('rejects a single-class target, a target not in the table and an unknown class', () => {
    const t = parseCsv('x,sex\n1,MALE\n2,MALE\n');
    expect(thrown(() => new TabularEncoder().fit(t, { target: 'sex' })).message).toBe(
      'target "sex": expected at least 2 classes, found 1 ("MALE")',
    );
    expect(thrown(() => new TabularEncoder().fit(t, { target: 'Sex' })).message).toBe(
      'target: expected one of the columns of <string> ("x", "sex"), found "Sex"',
    );
    const enc = new TabularEncoder().fit(parseCsv('x,sex\n1,MALE\n2,FEMALE\n'), { target: 'sex' });
    expect(
      thrown(() => enc.transform(parseCsv('x,sex\n1,MALE\n2,male\n', { source: 'b.csv' }))).message,
    ).toBe('b.csv: row 2, column "sex": unknown class "male" (fitted classes: "FEMALE", "MALE")');
  });

  it('transforms a table without the target (prediction) and needs every fitted feature', () => {
    const enc = new TabularEncoder().fit(parseCsv('a,b,t\n1,u,0\n2,v,1\n'), { target: 't' });
    const out = enc.transform(parseCsv('b,a\nv,5\n'));
    expect(out.y).toBeUndefined();
    expect(rowsOf(out.X)).toEqual([[5, 0, 1]]);
    expect(thrown(() => enc.transform(parseCsv('a\n1\n', { source: 'p.csv' }))).message).toBe(
      'p.csv: column "b": not in the table (the encoder was fitted with it); the columns are "a"',
    );
  });

  it('names the row of a text value where a number was fitted', () => {
    const enc = new TabularEncoder().fit(parseCsv('age,t\n30,a\n40,b\n'), { target: 't' });
    const test = parseCsv('age,t\n31,a\n32,b\nabc,a\n', { source: 'data.csv' });
    expect(thrown(() => enc.transform(test)).message).toBe(
      'data.csv: row 3, column "age": expected a number, found "abc"',
    );
  });

  it('validates options and refuses to transform before fit', () => {
    expect(() => new TabularEncoder({ missing: 'median' as 'mean' })).toThrow(
      "missing: expected one of 'drop', 'mean', 'error', found \"median\"",
    );
    expect(() => new TabularEncoder().transform(table())).toThrow(
      'call fit(table, { target }) before transform',
    );
    expect(() => new TabularEncoder().fit(table(), { target: 'label', features: ['label'] })).toThrow(
      'features: expected columns of toy.csv other than the target',
    );
  });
});

// The column-by-column work of TabularEncoder: fitting one feature or the classes, and writing one
// feature of a row, with the missing-value policy and its row-numbered errors.
import { cellText, indexReader, numberReader } from './column-reader';
import { argumentError, shown, tableError } from './errors';
import type { FeatureSpec, MissingPolicy } from './feature-spec';
import type { Column, Table } from './table';
import { compareText, listColumns } from './table';

export function missingError(t: Table, i: number, column: string): Error {
  return tableError(
    t.source,
    t.rowNumbers[i],
    column,
    "expected a value (missing: 'error'), found a missing value",
  );
}

export function fitFeature(t: Table, column: Column, rows: number[], missing: MissingPolicy): FeatureSpec {
  if (column.kind === 'numeric') {
    const read = numberReader(t, column);
    let sum = 0;
    let n = 0;
    for (const i of rows) {
      const v = read(i);
      if (!Number.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    if (n === 0 && missing === 'mean') {
      throw tableError(
        t.source,
        undefined,
        column.name,
        'has no values in the fitted rows to take the mean of',
      );
    }
    return { name: column.name, kind: 'numeric', mean: n > 0 ? sum / n : null };
  }
  const counts = new Map<string, number>();
  for (const i of rows) {
    const code = column.codes[i];
    if (code >= 0) counts.set(column.categories[code], (counts.get(column.categories[code]) ?? 0) + 1);
  }
  const categories = [...counts.keys()].sort(compareText);
  if (categories.length === 0) {
    throw tableError(
      t.source,
      undefined,
      column.name,
      'has no values in the fitted rows to take categories from',
    );
  }
  // The most frequent category; ties go to the first in sorted order, as scikit-learn's SimpleImputer.
  let mode = categories[0];
  for (const c of categories) if (counts.get(c)! > counts.get(mode)!) mode = c;
  return { name: column.name, kind: 'categorical', categories, mode };
}

export function fitClasses(column: Column, rows: number[]): string[] {
  let classes: string[];
  if (column.kind === 'numeric') {
    const values = [...new Set(rows.map((i) => column.values[i]))].sort((a, b) => a - b);
    classes = values.map(String);
  } else {
    classes = [...new Set(rows.map((i) => column.categories[column.codes[i]]))].sort(compareText);
  }
  if (classes.length < 2) {
    const found = classes.length === 0 ? '0' : `1 (${JSON.stringify(classes[0])})`;
    throw argumentError(`target ${JSON.stringify(column.name)}`, 'at least 2 classes', shown(found));
  }
  return classes;
}

export type Writer = (i: number, row: Float32Array, offset: number) => 'ok' | 'drop' | 'unknown';

export function unknownError(t: Table, f: FeatureSpec, i: number): Error {
  const column = t.columns.find((c) => c.name === f.name)!;
  const list = f.kind === 'categorical' ? f.categories.map((c) => JSON.stringify(c)).join(', ') : '';
  return tableError(
    t.source,
    t.rowNumbers[i],
    f.name,
    `unknown category ${JSON.stringify(cellText(column, i))} (fitted categories: ${list}); handleUnknown: 'ignore' encodes it as all zeros`,
  );
}

/**
 * Writes one feature of row i into `row` at `offset`, applying the missing policy; an unseen
 * category leaves its block zero and is reported, for the caller to count or reject.
 */
export function featureWriter(t: Table, f: FeatureSpec, missing: MissingPolicy): Writer {
  const column = t.columns.find((c) => c.name === f.name);
  if (!column) {
    throw tableError(
      t.source,
      undefined,
      f.name,
      `not in the table (the encoder was fitted with it); the columns are ${listColumns(t)}`,
    );
  }
  if (f.kind === 'numeric') {
    const read = numberReader(t, column);
    return (i, row, offset) => {
      const v = read(i);
      if (!Number.isNaN(v)) row[offset] = v;
      else if (missing === 'mean') row[offset] = f.mean ?? 0;
      else if (missing === 'drop') return 'drop';
      else throw missingError(t, i, f.name);
      return 'ok';
    };
  }
  const index = indexReader(column, f.categories);
  const modeIndex = f.mode === null ? -1 : f.categories.indexOf(f.mode);
  return (i, row, offset) => {
    let k = index(i);
    if (k === -1) {
      if (missing === 'drop') return 'drop';
      if (missing === 'error') throw missingError(t, i, f.name);
      k = modeIndex;
    }
    if (k === -2) return 'unknown';
    if (k >= 0) row[offset + k] = 1;
    return 'ok';
  };
}

import { tableError } from './errors';
import type { Column, Table } from './table';
import { parseNumber } from './table-builder';

/**
 * Reads a column as numbers whatever kind the table gave it: a categorical column is parsed per
 * category, and a category that is not a number is an error at the first row that holds it.
 * Returns NaN for a missing value.
 */
export function numberReader(table: Table, column: Column): (i: number) => number {
  if (column.kind === 'numeric') return (i) => column.values[i];
  const parsed = column.categories.map(parseNumber);
  return (i) => {
    const code = column.codes[i];
    if (code < 0) return Number.NaN;
    const v = parsed[code];
    if (!Number.isFinite(v)) {
      throw tableError(
        table.source,
        table.rowNumbers[i],
        column.name,
        `expected a ${Number.isNaN(v) ? '' : 'finite '}number, found ${JSON.stringify(column.categories[code])}`,
      );
    }
    return v;
  };
}

/**
 * Reads a column as indices into `known` (e.g. fitted categories): -1 for a missing value, -2 for
 * a value not in `known`. Numbers in a numeric column are matched by their JavaScript text.
 */
export function indexReader(column: Column, known: readonly string[]): (i: number) => number {
  const lookup = new Map(known.map((k, j) => [k, j]));
  if (column.kind === 'numeric') {
    return (i) => {
      const v = column.values[i];
      return Number.isNaN(v) ? -1 : (lookup.get(String(v)) ?? -2);
    };
  }
  const byCode = Int32Array.from(column.categories, (c) => lookup.get(c) ?? -2);
  return (i) => {
    const code = column.codes[i];
    return code < 0 ? -1 : byCode[code];
  };
}

/** The text of a cell, for messages; null when missing. */
export function cellText(column: Column, i: number): string | null {
  if (column.kind === 'numeric') return Number.isNaN(column.values[i]) ? null : String(column.values[i]);
  return column.codes[i] < 0 ? null : column.categories[column.codes[i]];
}

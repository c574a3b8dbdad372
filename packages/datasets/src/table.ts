import { argumentError, describe, shown } from './errors';
import { checkIndices } from './validate';

/** A column of numbers; NaN marks a missing value. */
export interface NumericColumn {
  kind: 'numeric';
  name: string;
  values: Float64Array;
}

/**
 * A column of text values stored as codes into `categories` (in order of first appearance);
 * code -1 marks a missing value.
 */
export interface CategoricalColumn {
  kind: 'categorical';
  name: string;
  codes: Int32Array;
  categories: string[];
  /**
   * Set when the column was inferred: it started with numbers and this row's text turned it
   * categorical. Strict callers (the CLI) treat it as a text value in a numeric column.
   */
  textAfterNumbers?: { row: number; value: string };
}

/** One column of a table: numbers or category strings. */
export type Column = NumericColumn | CategoricalColumn;

/**
 * A parsed table, column by column. `rowNumbers[i]` is the 1-based data row in `source` that row i
 * came from (the first record after the header is row 1), so errors found after rows were dropped or
 * split still point into the file. `notes` says what loading did (dropped rows, inferred types).
 */
export interface Table {
  source: string;
  rows: number;
  columns: Column[];
  rowNumbers: Int32Array;
  notes: string[];
}

/** A cell as JavaScript: a number, a string, or null when missing. */
export type Cell = number | string | null;

/** The names of a table's columns, in order. */
export function columnNames(table: Table): string[] {
  return table.columns.map((c) => c.name);
}

/** Lists a table's columns for messages: `"a", "b", "c"`. */
export function listColumns(table: Table): string {
  return table.columns.map((c) => JSON.stringify(c.name)).join(', ');
}

/** Checks a table's parts agree: every column and `rowNumbers` have `rows` entries. */
export function checkTable(name: string, table: unknown): Table {
  const t = table as Table;
  if (t === null || typeof t !== 'object' || !Array.isArray(t.columns) || typeof t.source !== 'string') {
    throw argumentError(name, 'a Table { source, rows, columns, rowNumbers, notes }', table);
  }
  if (!Number.isSafeInteger(t.rows) || t.rows < 0) throw argumentError(`${name}.rows`, 'a row count', t.rows);
  if (!(t.rowNumbers instanceof Int32Array) || t.rowNumbers.length !== t.rows) {
    throw argumentError(`${name}.rowNumbers`, `an Int32Array of length ${t.rows}`, t.rowNumbers);
  }
  for (const c of t.columns) {
    const length =
      c?.kind === 'numeric' ? c.values?.length : c?.kind === 'categorical' ? c.codes?.length : -1;
    if (length !== t.rows) {
      throw argumentError(`${name}.columns`, `columns of ${t.rows} values each`, shown(describe(c?.name)));
    }
  }
  return t;
}

/** The column called `name`; the error lists the columns there are. */
export function getColumn(table: Table, name: string): Column {
  const column = table.columns.find((c) => c.name === name);
  if (!column) {
    throw argumentError('column', `one of the columns of ${table.source} (${listColumns(table)})`, name);
  }
  return column;
}

export function isMissing(column: Column, i: number): boolean {
  return column.kind === 'numeric' ? Number.isNaN(column.values[i]) : column.codes[i] < 0;
}

export function cell(column: Column, i: number): Cell {
  if (column.kind === 'numeric') return Number.isNaN(column.values[i]) ? null : column.values[i];
  return column.codes[i] < 0 ? null : column.categories[column.codes[i]];
}

/** Row i as an object keyed by column name, e.g. for printing or a quick check. */
export function tableRow(table: Table, i: number): Record<string, Cell> {
  const t = checkTable('table', table);
  if (!Number.isInteger(i) || i < 0 || i >= t.rows)
    throw argumentError('i', `a row index in [0, ${t.rows})`, i);
  const out: Record<string, Cell> = {};
  for (const c of t.columns) out[c.name] = cell(c, i);
  return out;
}

/** How many values each column is missing. */
export function missingCounts(table: Table): Record<string, number> {
  const t = checkTable('table', table);
  const out: Record<string, number> = {};
  for (const c of t.columns) {
    let n = 0;
    for (let i = 0; i < t.rows; i++) if (isMissing(c, i)) n++;
    out[c.name] = n;
  }
  return out;
}

/** The rows at `indices` (in that order, repeats allowed) as a new table with the same columns. */
export function selectRows(table: Table, indices: ArrayLike<number>): Table {
  const t = checkTable('table', table);
  const idx = checkIndices('indices', indices, t.rows);
  const pick = <T extends Float64Array | Int32Array>(src: T, out: T): T => {
    for (let i = 0; i < idx.length; i++) out[i] = src[idx[i]];
    return out;
  };
  const columns: Column[] = t.columns.map((c) =>
    c.kind === 'numeric'
      ? { kind: 'numeric', name: c.name, values: pick(c.values, new Float64Array(idx.length)) }
      : {
          kind: 'categorical',
          name: c.name,
          codes: pick(c.codes, new Int32Array(idx.length)),
          categories: [...c.categories],
        },
  );
  return {
    source: t.source,
    rows: idx.length,
    columns,
    rowNumbers: pick(t.rowNumbers, new Int32Array(idx.length)),
    notes: [...t.notes],
  };
}

/**
 * Drops every row with a missing value in `columns` (default: all columns); the returned table's
 * notes say how many went.
 */
export function dropMissing(table: Table, columns?: string[]): Table {
  const t = checkTable('table', table);
  if (columns !== undefined && !Array.isArray(columns)) {
    throw argumentError('columns', 'an array of column names', columns);
  }
  const checked = (columns ?? columnNames(t)).map((name) => getColumn(t, name));
  const keep: number[] = [];
  for (let i = 0; i < t.rows; i++) if (!checked.some((c) => isMissing(c, i))) keep.push(i);
  const out = selectRows(t, keep);
  const dropped = t.rows - keep.length;
  const which = columns === undefined ? 'any column' : checked.map((c) => JSON.stringify(c.name)).join(', ');
  out.notes.push(`dropMissing: dropped ${dropped} of ${t.rows} rows with a missing value in ${which}`);
  return out;
}

/** Orders strings by UTF-16 code units, as numpy's sort (and so scikit-learn's LabelEncoder) does. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

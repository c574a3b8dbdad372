import { tableError } from './errors';
import type { Column, Table } from './table';

/** What a CSV reader does with a missing value while reading; imputation belongs to TabularEncoder. */
export type ReadMissingPolicy = 'keep' | 'drop' | 'error';

export interface TableBuilderOptions {
  source: string;
  missingValues: readonly string[];
  missing: ReadMissingPolicy;
  /** Read only these columns, in header order. */
  columns?: readonly string[];
  numeric?: readonly string[];
  categorical?: readonly string[];
}

// Plain decimal numbers only: Number() alone would also take '0x1F', 'Infinity' and ' '.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumber(text: string): number {
  return NUMBER.test(text) ? Number(text) : Number.NaN;
}

/** A typed array that doubles when full, so rows stream in without an array of strings. */
class Growable<T extends Float64Array | Int32Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

const f64 = (n: number) => new Float64Array(n);
const i32 = (n: number) => new Int32Array(n);

class ColumnBuilder {
  kind: 'numeric' | 'categorical';
  values = new Growable(f64(64), f64);
  codes = new Growable(i32(64), i32);
  categories: string[] = [];
  private index = new Map<string, number>();
  /** Where an inferred column first held text after holding numbers, for the table's notes. */
  turned?: { row: number; value: string };

  constructor(
    readonly name: string,
    readonly field: number,
    readonly declared: 'numeric' | 'categorical' | undefined,
  ) {
    this.kind = declared ?? 'numeric';
  }

  code(text: string): number {
    let c = this.index.get(text);
    if (c === undefined) {
      c = this.categories.length;
      this.categories.push(text);
      this.index.set(text, c);
    }
    return c;
  }

  /** An inferred numeric column met text: earlier numbers become categories in JS's number form. */
  toCategorical(row: number, value: string, rowsSoFar: number): void {
    const numbers = this.values.done();
    if (numbers.some((v) => !Number.isNaN(v))) this.turned = { row, value };
    this.kind = 'categorical';
    for (let i = 0; i < rowsSoFar; i++)
      this.codes.push(Number.isNaN(numbers[i]) ? -1 : this.code(String(numbers[i])));
    this.values = new Growable(f64(1), f64);
  }
}

/**
 * Accumulates parsed records into typed columns: the header first, then one data record at a time.
 * Shared by the in-memory and the streaming CSV readers so both give the same table and errors.
 */
export class TableBuilder {
  private columns: ColumnBuilder[] = [];
  private names: string[] = [];
  private width = 0;
  private kept = 0;
  private dropped = 0;
  private rowNumbers = new Growable(i32(64), i32);
  private readonly missingValues: Set<string>;
  /** Data records seen so far, kept or not; the next record is row `seen + 1`. */
  seen = 0;
  started = false;

  constructor(private readonly options: TableBuilderOptions) {
    this.missingValues = new Set(options.missingValues);
  }

  header(record: string[]): void {
    const { source } = this.options;
    this.started = true;
    this.width = record.length;
    const names = record.map((name, j) => (name === '' ? `unnamed_${j + 1}` : name));
    this.names = names;
    const firstAt = new Map<string, number>();
    names.forEach((name, j) => {
      const earlier = firstAt.get(name);
      if (earlier !== undefined) {
        throw tableError(
          source,
          'header',
          j + 1,
          `duplicate column name ${JSON.stringify(name)} (also column ${earlier + 1})`,
        );
      }
      firstAt.set(name, j);
    });
    const known = names.map((n) => JSON.stringify(n)).join(', ');
    const check = (option: string, list: readonly string[] | undefined) => {
      for (const name of list ?? []) {
        if (!firstAt.has(name)) {
          throw tableError(
            source,
            'header',
            undefined,
            `${option}: no column ${JSON.stringify(name)}; the columns are ${known}`,
          );
        }
      }
    };
    check('columns', this.options.columns);
    check('numeric', this.options.numeric);
    check('categorical', this.options.categorical);
    const numeric = new Set(this.options.numeric);
    const categorical = new Set(this.options.categorical);
    const wanted = this.options.columns ? new Set(this.options.columns) : undefined;
    names.forEach((name, j) => {
      if (wanted && !wanted.has(name)) return;
      const declared = numeric.has(name) ? 'numeric' : categorical.has(name) ? 'categorical' : undefined;
      this.columns.push(new ColumnBuilder(name, j, declared));
    });
  }

  push(record: string[]): void {
    const { source, missing } = this.options;
    const row = ++this.seen;
    if (record.length !== this.width) {
      if (record.length > this.width) {
        throw tableError(
          source,
          row,
          this.width + 1,
          `expected ${this.width} fields (one per header column), found ${record.length}; field ${this.width + 1} is ${JSON.stringify(record[this.width])}`,
        );
      }
      throw tableError(
        source,
        row,
        this.names[record.length],
        `expected ${this.width} fields (one per header column), found ${record.length}`,
      );
    }
    if (missing !== 'keep') {
      for (const c of this.columns) {
        const text = record[c.field];
        if (!this.missingValues.has(text)) continue;
        if (missing === 'error') {
          throw tableError(
            source,
            row,
            c.name,
            `expected a value (missing: 'error'), found the missing value ${JSON.stringify(text)}`,
          );
        }
        this.dropped++;
        return;
      }
    }
    const index = this.kept;
    for (const c of this.columns) {
      const text = record[c.field];
      const absent = this.missingValues.has(text);
      if (c.kind === 'categorical') {
        c.codes.push(absent ? -1 : c.code(text));
        continue;
      }
      const v = absent ? Number.NaN : parseNumber(text);
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
        // A number past float64's range (e.g. 1e400) reads as Infinity and would poison every sum.
        throw tableError(
          source,
          row,
          c.name,
          `expected a finite number (at most ±1.8e308), found ${JSON.stringify(text)}`,
        );
      }
      if (!absent && Number.isNaN(v)) {
        if (c.declared === 'numeric')
          throw tableError(source, row, c.name, `expected a number, found ${JSON.stringify(text)}`);
        c.toCategorical(row, text, index);
        c.codes.push(c.code(text));
        continue;
      }
      c.values.push(v);
    }
    this.rowNumbers.push(row);
    this.kept++;
  }

  finish(): Table {
    const { source } = this.options;
    if (!this.started)
      throw tableError(source, undefined, undefined, 'expected a header row, found an empty file');
    const notes: string[] = [];
    if (this.options.missing === 'drop') {
      notes.push(`missing: 'drop': dropped ${this.dropped} of ${this.seen} rows with a missing value`);
    }
    const columns: Column[] = this.columns.map((c) => {
      if (c.turned) {
        notes.push(
          `column ${JSON.stringify(c.name)} was read as categorical: row ${c.turned.row} holds ${JSON.stringify(c.turned.value)} after numbers; pass numeric: [${JSON.stringify(c.name)}] to make such a value an error`,
        );
      }
      return c.kind === 'numeric'
        ? { kind: 'numeric', name: c.name, values: c.values.done() }
        : {
            kind: 'categorical',
            name: c.name,
            codes: c.codes.done(),
            categories: c.categories,
            ...(c.turned ? { textAfterNumbers: c.turned } : {}),
          };
    });
    return { source, rows: this.kept, columns, rowNumbers: this.rowNumbers.done(), notes };
  }
}

import type { Info, Options } from 'csv-parse/browser/esm/sync';
import { parse } from 'csv-parse/browser/esm/sync';
import { argumentError, TableError, tableError } from './errors';
import type { Table } from './table';
import { type ReadMissingPolicy, TableBuilder } from './table-builder';
import { checkOptions } from './validate';

/** The cell texts read as missing values by default. */
export const DEFAULT_MISSING_VALUES: readonly string[] = ['', 'NA', 'NaN', 'null', '?'];

/** Options for parsing CSV text into a table. */
export interface CsvOptions {
  /** The name errors and `table.source` use. Default '<string>' for text, the path for a file. */
  source?: string;
  /** Field separator. Default ','. */
  delimiter?: string;
  /** Read only these columns (header order is kept). Default: all. */
  columns?: string[];
  /** Columns that must hold numbers: a text value there is an error naming the row. */
  numeric?: string[];
  /** Columns kept as text even when every value looks like a number (e.g. zip codes, 0/1 labels). */
  categorical?: string[];
  /** Cell texts that mean "missing" (after trimming). Default ['', 'NA', 'NaN', 'null', '?']. */
  missingValues?: string[];
  /**
   * What a missing value does while reading: 'keep' stores it as NaN / code -1 (default), 'drop'
   * drops its row, 'error' throws naming the row and column. Mean imputation is fitted on training
   * rows only, so it lives in TabularEncoder (`missing: 'mean'`), not here.
   */
  missing?: ReadMissingPolicy;
}

const POLICIES: readonly ReadMissingPolicy[] = ['keep', 'drop', 'error'];

function checkNames(name: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw argumentError(name, 'an array of column names', value);
  }
  return value;
}

/** Validates the options shared by parseCsv and readCsv and makes the row accumulator. */
export function tableBuilder(options: CsvOptions, defaultSource: string): TableBuilder {
  checkOptions('options', options, "{ missing: 'drop' }");
  const source = options.source ?? defaultSource;
  if (typeof source !== 'string' || source === '')
    throw argumentError('source', 'a non-empty string', source);
  const missing = options.missing ?? 'keep';
  if (!POLICIES.includes(missing)) {
    throw argumentError(
      'missing',
      "'keep', 'drop' or 'error' (impute with new TabularEncoder({ missing: 'mean' }), fitted on training rows)",
      missing,
    );
  }
  const missingValues = checkNames('missingValues', options.missingValues) ?? DEFAULT_MISSING_VALUES;
  const numeric = checkNames('numeric', options.numeric);
  const categorical = checkNames('categorical', options.categorical);
  const both = numeric?.find((n) => categorical?.includes(n));
  if (both !== undefined) throw argumentError('numeric', `no column also listed in categorical`, both);
  return new TableBuilder({
    source,
    missing,
    missingValues,
    numeric,
    categorical,
    columns: checkNames('columns', options.columns),
  });
}

/** Hands one parsed record to the builder: the first is the header. */
export function feed(builder: TableBuilder, record: string[]): void {
  if (builder.started) builder.push(record);
  else builder.header(record);
}

/**
 * csv-parse options. With a builder, every record goes to it from `on_record` and none is kept,
 * which bounds memory for in-memory text; the streaming reader leaves the builder out and takes
 * records from the stream instead, which skips csv-parse's per-record info object.
 */
export function csvParseOptions(options: CsvOptions, builder?: TableBuilder): Options {
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length === 0 || /["\r\n]/.test(delimiter)) {
    throw argumentError('delimiter', 'a non-empty string without quotes or line breaks', delimiter);
  }
  return {
    delimiter,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    // Counts are checked by the builder, whose message names the row and the column.
    relax_column_count: true,
    ...(builder && {
      on_record: (record: string[], _info: Info) => {
        feed(builder, record);
        return null;
      },
    }),
  } as Options;
}

/** Gives csv-parse's own errors (an unclosed quote, ...) the file and row, and passes ours through. */
export function csvError(err: unknown, source: string, builder: TableBuilder): Error {
  if (err instanceof TableError) return err;
  // csv-parse's messages already give the line in the file.
  const message = err instanceof Error ? err.message : String(err);
  return tableError(source, builder.started ? builder.seen + 1 : 'header', undefined, message);
}

/**
 * Parses CSV text into a Table: the first record is the header; a column is numeric when every
 * non-missing value is a plain decimal number, categorical otherwise (`numeric`/`categorical`
 * override). Works in browsers. Errors name the source, the 1-based data row and the column.
 */
export function parseCsv(text: string, options: CsvOptions = {}): Table {
  if (typeof text !== 'string') throw argumentError('text', 'CSV text as a string', text);
  const builder = tableBuilder(options, '<string>');
  const source = options.source ?? '<string>';
  try {
    parse(text, csvParseOptions(options, builder));
  } catch (err) {
    throw csvError(err, source, builder);
  }
  return builder.finish();
}

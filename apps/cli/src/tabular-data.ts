import {
  cpsWages,
  DEFAULT_MISSING_VALUES,
  parseCsv,
  penguins,
  type Table,
  TableError,
} from '@descent/datasets';
import { readCsv } from '@descent/datasets/node';
import { readStdin } from './json-output';
import { UsageError } from './usage-error';

export const tabularDatasets = ['penguins', 'cps-wages'] as const;
export type TabularDatasetName = (typeof tabularDatasets)[number];

export interface LoadedTable {
  table: Table;
  /** The built-in task's target and suggested features; undefined for a user's CSV. */
  target?: string;
  features?: string[];
}

/** A built-in table, with its own task. */
export function builtInTable(name: TabularDatasetName): LoadedTable {
  const data = name === 'penguins' ? penguins() : cpsWages();
  return { table: data, target: data.taskInfo.target, features: data.taskInfo.features };
}

/** What reads as missing in a user's CSV: the library's markers and `.`, as SAS and Stata write it. */
export const CLI_MISSING_VALUES: readonly string[] = [...DEFAULT_MISSING_VALUES, '.'];

/**
 * The line every table command prints about missing values: what the policy did to these rows.
 * The policy is the one `train --missing` chose, kept in the bundle.
 */
export function missingNote(policy: string, dropped: number, source: string): string | undefined {
  if (policy === 'mean') {
    return `${source}: missing feature values imputed with the training rows' means (most frequent category for text)${dropped ? `; ${dropped} rows with no target dropped` : ''}`;
  }
  return dropped ? `${source}: ${dropped} rows dropped for missing values (policy: ${policy})` : undefined;
}

/**
 * Reads a user's CSV. A column that starts with numbers and then holds text is most likely a
 * typo in a numeric column, so it is an error here unless the user named it with --categorical.
 * A file with only its header is refused here, naming the file, before a split or a scaler
 * words it in its own terms.
 */
export async function readUserCsv(path: string, categorical: string[] = []): Promise<Table> {
  const options = {
    categorical: categorical.length ? categorical : undefined,
    missingValues: [...CLI_MISSING_VALUES],
  };
  // `--csv -` reads the table from standard input.
  const table =
    path === '-'
      ? parseCsv(await readStdin(), { ...options, source: '<stdin>' })
      : await readCsv(path, options);
  if (table.rows === 0) {
    throw new TableError(
      `${path}: expected at least 1 data row after the header, found only the header`,
      path,
    );
  }
  for (const column of table.columns) {
    if (column.kind === 'categorical' && column.textAfterNumbers) {
      const { row, value } = column.textAfterNumbers;
      // Bad data (status 1), though a flag can read it otherwise.
      throw new TableError(
        `${path}: row ${row}, column "${column.name}": expected a number, found ${JSON.stringify(value)} ` +
          `(the rows above hold numbers; pass --categorical ${column.name} to read the column as text)`,
        path,
        row,
        column.name,
      );
    }
  }
  return table;
}

/** A copy of the table without one column (e.g. the target, when only predicting). */
export function withoutColumn(table: Table, name: string): Table {
  return { ...table, columns: table.columns.filter((c) => c.name !== name) };
}

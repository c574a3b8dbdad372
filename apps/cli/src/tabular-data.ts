import { cpsWages, penguins, type Table, TableError } from '@descent/datasets';
import { readCsv } from '@descent/datasets/node';
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

/**
 * Reads a user's CSV. A column that starts with numbers and then holds text is most likely a
 * typo in a numeric column, so it is an error here unless the user named it with --categorical.
 * A file with fewer than `minRows` data rows is refused here, naming the file and the count,
 * before a split or a scaler words it in its own terms.
 */
export async function readUserCsv(path: string, categorical: string[] = [], minRows = 1): Promise<Table> {
  const table = await readCsv(path, { categorical: categorical.length ? categorical : undefined });
  if (table.rows < minRows) {
    const need = minRows === 1 ? '1 data row' : `${minRows} data rows (some to train on, some to test)`;
    const found = table.rows === 0 ? 'only the header' : `${table.rows}`;
    throw new TableError(`${path}: expected at least ${need} after the header, found ${found}`, path);
  }
  for (const column of table.columns) {
    if (column.kind === 'categorical' && column.textAfterNumbers) {
      const { row, value } = column.textAfterNumbers;
      throw new UsageError(
        `${path}: row ${row}, column "${column.name}": expected a number, found ${JSON.stringify(value)} ` +
          `(the rows above hold numbers; pass --categorical ${column.name} to read the column as text)`,
      );
    }
  }
  return table;
}

/** A copy of the table without one column (e.g. the target, when only predicting). */
export function withoutColumn(table: Table, name: string): Table {
  return { ...table, columns: table.columns.filter((c) => c.name !== name) };
}

import { argumentError, tableError } from './errors';
import { splitIndices } from './split';
import { checkTable, compareText, getColumn, selectRows, type Table } from './table';
import { checkOptions } from './validate';

/** Options for splitting a table's rows into train and test tables: test share, seed and an optional column to stratify by. */
export interface SplitTableOptions {
  /** Fraction of rows in the test table, in (0, 1). Default 0.2. */
  testSize?: number;
  /** Default 0. */
  seed?: number;
  /** A column whose values keep their proportions on both sides, usually the target. */
  stratifyBy?: string;
}

/** Sorted-class ranks, so labels number the classes as TabularEncoder and trainTestSplit do. */
function labelsOf(table: Table, name: string): Float64Array {
  const column = getColumn(table, name);
  const labels = new Float64Array(table.rows);
  const rank =
    column.kind === 'categorical'
      ? (() => {
          const order = column.categories
            .map((_, c) => c)
            .sort((a, b) => compareText(column.categories[a], column.categories[b]));
          const r = new Int32Array(column.categories.length);
          order.forEach((c, k) => {
            r[c] = k;
          });
          return r;
        })()
      : undefined;
  for (let i = 0; i < table.rows; i++) {
    const v = column.kind === 'categorical' ? column.codes[i] : column.values[i];
    if (column.kind === 'categorical' ? v < 0 : Number.isNaN(v)) {
      throw tableError(
        table.source,
        table.rowNumbers[i],
        name,
        'stratifyBy needs a value in every row, found a missing value (drop those rows first, e.g. with dropMissing)',
      );
    }
    labels[i] = rank ? rank[v] : v;
  }
  return labels;
}

/**
 * Splits a table's rows into seeded, shuffled train and test tables with `splitIndices`. With
 * `stratifyBy: target` the rows chosen are the same as `trainTestSplit` picks from the encoded
 * Dataset with the same seed and testSize, so either route gives the same split.
 */
export function splitTable(table: Table, options: SplitTableOptions = {}): { train: Table; test: Table } {
  const t = checkTable('table', table);
  checkOptions('options', options, "{ testSize: 0.2, seed: 0, stratifyBy: 'sex' }");
  const { stratifyBy } = options;
  if (stratifyBy !== undefined && typeof stratifyBy !== 'string') {
    throw argumentError('stratifyBy', 'a column name', stratifyBy);
  }
  const { train, test } = splitIndices(t.rows, {
    testSize: options.testSize,
    seed: options.seed,
    stratifyBy: stratifyBy === undefined ? undefined : labelsOf(t, stratifyBy),
  });
  return { train: selectRows(t, train), test: selectRows(t, test) };
}

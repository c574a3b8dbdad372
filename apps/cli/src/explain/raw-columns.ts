import type { FeatureSpec, Table } from '@descent/datasets';

/**
 * The model's raw input columns and how they map onto its inputs: a numeric column is one input,
 * a categorical one a block of one-hot inputs. Explaining each block as one SHAP player gives one
 * value per raw column (`species`), not one per one-hot input (`species_Adelie`).
 */
export interface RawColumns {
  names: string[];
  /** For each raw column, the model inputs (after one-hot encoding) it feeds. */
  groups: number[][];
  features: FeatureSpec[];
}

export function rawColumns(features: FeatureSpec[]): RawColumns {
  const groups: number[][] = [];
  let offset = 0;
  for (const f of features) {
    const width = f.kind === 'numeric' ? 1 : f.categories.length;
    groups.push(Array.from({ length: width }, (_, i) => offset + i));
    offset += width;
  }
  return { names: features.map((f) => f.name), groups, features };
}

/** One explained row as the user wrote it: display text, and a number for the plots' colour scale. */
export interface RawRow {
  text: string[];
  /** Numeric columns: the value; categorical: the category's index in the fitted order; NaN when missing or unseen. */
  colour: number[];
}

/** The raw values of the given table rows (indices into `table`), column by column as `features`. */
export function rawRows(table: Table, rows: number[], features: FeatureSpec[]): RawRow[] {
  const columns = features.map((f) => table.columns.find((c) => c.name === f.name));
  return rows.map((r) => {
    const text: string[] = [];
    const colour: number[] = [];
    features.forEach((f, j) => {
      const column = columns[j];
      if (!column) {
        text.push('');
        colour.push(Number.NaN);
      } else if (column.kind === 'numeric') {
        const v = column.values[r];
        text.push(Number.isNaN(v) ? 'missing' : String(v));
        colour.push(v);
      } else {
        const code = column.codes[r];
        const value = code < 0 ? undefined : column.categories[code];
        text.push(value ?? 'missing');
        const index = value === undefined || f.kind !== 'categorical' ? -1 : f.categories.indexOf(value);
        colour.push(index < 0 ? Number.NaN : index);
      }
    });
    return { text, colour };
  });
}

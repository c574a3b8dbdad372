import { toCsv } from '../csv-output';

export interface ValuesTable {
  /** Row labels: positions in the CSV (tables) or the image file. */
  rows: (number | string)[];
  baseValues: number[];
  featureNames: string[];
  values: number[][];
  /** f(x) in the same space as the values (base_value + Σ values = prediction). */
  predictions: number[];
  /** The predicted class per row, for classifiers. */
  predictedLabels?: string[];
}

/**
 * The SHAP values as CSV (csv-stringify, formulas neutralised): row, base_value, one column per
 * feature, prediction[, predicted_class].
 */
export function valuesCsv(t: ValuesTable): string {
  const header = [
    'row',
    'base_value',
    ...t.featureNames,
    'prediction',
    ...(t.predictedLabels ? ['predicted_class'] : []),
  ];
  // Numbers go in as numbers, in full precision, so the values add up to the prediction in the
  // file too; a non-finite one is left empty.
  const lines = t.rows.map((row, i) => [
    row,
    t.baseValues[i],
    ...t.values[i],
    t.predictions[i],
    ...(t.predictedLabels ? [t.predictedLabels[i]] : []),
  ]);
  return toCsv(header, lines);
}

/** A CSV cell: quoted when it holds a comma, quote or line break. */
function cell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Full precision, so the values add up to the prediction in the file too. */
function number(v: number): string {
  return Number.isFinite(v) ? String(v) : '';
}

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

/** The SHAP values as CSV: row, base_value, one column per feature, prediction[, predicted_class]. */
export function valuesCsv(t: ValuesTable): string {
  const header = [
    'row',
    'base_value',
    ...t.featureNames,
    'prediction',
    ...(t.predictedLabels ? ['predicted_class'] : []),
  ];
  const lines = t.rows.map((row, i) => [
    String(row),
    number(t.baseValues[i]),
    ...t.values[i].map(number),
    number(t.predictions[i]),
    ...(t.predictedLabels ? [t.predictedLabels[i]] : []),
  ]);
  return `${[header, ...lines].map((l) => l.map(cell).join(',')).join('\n')}\n`;
}

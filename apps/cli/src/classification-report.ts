import { confusionMatrix, type Matrix, metrics, type OutputKind } from '@descent/train';
import { formatTable } from './table';

export const reportedMetrics = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss'] as const;

/** Every classification metric on one data set, as numbers keyed like the metric registry. */
export function classificationMetrics(predictions: Matrix, targets: Matrix, kind: OutputKind) {
  return Object.fromEntries(reportedMetrics.map((m) => [m, metrics[m](predictions, targets, kind)]));
}

/** The metrics in one line, then the confusion matrix with the class names on both axes. */
export function formatClassificationReport(
  predictions: Matrix,
  targets: Matrix,
  kind: OutputKind,
  classes: string[],
): string {
  const values = classificationMetrics(predictions, targets, kind);
  const line = reportedMetrics.map((m) => `${m} ${values[m].toFixed(4)}`).join('  ');
  const matrix = confusionMatrix(predictions, targets, kind);
  const rows = matrix.map((row, i) => [`true ${classes[i] ?? i}`, ...row.map(String)]);
  const table = formatTable(['', ...classes.map((c) => `pred ${c}`)], rows);
  return `${line}\n\nconfusion matrix (rows: true class, columns: predicted)\n${table}`;
}

import { confusionMatrix, type Matrix, metrics, type OutputKind } from '@descent/train';
import { formatTable } from './table';

export const reportedMetrics = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss'] as const;

/**
 * Every classification metric on one data set, as numbers keyed like the metric registry. ROC AUC
 * is left out when some class has no rows here (it ranks each class's rows against the others').
 */
export function classificationMetrics(
  predictions: Matrix,
  targets: Matrix,
  kind: OutputKind,
): Record<string, number> {
  const values: Record<string, number> = {};
  for (const m of reportedMetrics) {
    if (m === 'rocAuc' && missingClasses(predictions, targets, kind).length > 0) continue;
    values[m] = metrics[m](predictions, targets, kind);
  }
  return values;
}

/** The class indices with no row among the targets. */
function missingClasses(predictions: Matrix, targets: Matrix, kind: OutputKind): number[] {
  const classes = kind === 'classScores' ? predictions.cols : 2;
  const seen = new Set(Array.from(targets.data, (t) => Math.round(t)));
  return Array.from({ length: classes }, (_, c) => c).filter((c) => !seen.has(c));
}

/** The metrics in one line, then the confusion matrix with the class names on both axes. */
export function formatClassificationReport(
  predictions: Matrix,
  targets: Matrix,
  kind: OutputKind,
  classes: string[],
): string {
  const values = classificationMetrics(predictions, targets, kind);
  const line = reportedMetrics
    .filter((m) => m in values)
    .map((m) => `${m} ${values[m].toFixed(4)}`)
    .join('  ');
  const missing = missingClasses(predictions, targets, kind).map((c) => classes[c] ?? String(c));
  const note =
    missing.length > 0
      ? `\nrocAuc: not computed: no row of class ${missing.join(', ')} here (it ranks each class's rows against the others')`
      : '';
  const matrix = confusionMatrix(predictions, targets, kind);
  const rows = matrix.map((row, i) => [`true ${classes[i] ?? i}`, ...row.map(String)]);
  const table = formatTable(['', ...classes.map((c) => `pred ${c}`)], rows);
  return `${line}${note}\n\nconfusion matrix (rows: true class, columns: predicted)\n${table}`;
}

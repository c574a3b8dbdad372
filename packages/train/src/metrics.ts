import type { MatrixLike } from '@descent/datasets';
import { argumentError } from '@descent/tensor';
import { f1, logLoss, precision, recall, rocAuc } from './classification-metrics';
import { type OutputKind, predictedClass, targetClass } from './output';

/** The name of a metric the Learner can report. */
export type MetricName = 'accuracy' | 'mse' | 'mae' | 'precision' | 'recall' | 'f1' | 'rocAuc' | 'logLoss';
/** A metric: predictions and targets (one row per sample) and how to read the predictions, to a number. */
export type MetricFn = (predictions: MatrixLike, targets: MatrixLike, kind: OutputKind) => number;

function checkSizes(name: string, predictions: MatrixLike, targets: MatrixLike): void {
  if (predictions.rows !== targets.rows) {
    throw argumentError(`${name}: targets`, `${predictions.rows} rows (one per prediction)`, targets.rows);
  }
  if (predictions.rows === 0) throw argumentError(`${name}: predictions`, 'at least one row', 0);
}

/** The fraction of rows whose predicted class is the target class. */
export const accuracy: MetricFn = (predictions, targets, kind) => {
  checkSizes('accuracy', predictions, targets);
  if (kind === 'value') throw argumentError('accuracy', 'a classification output', 'a regression output');
  let correct = 0;
  for (let r = 0; r < predictions.rows; r++) {
    if (predictedClass(predictions, r, kind) === targetClass(targets, r)) correct++;
  }
  return correct / predictions.rows;
};

function meanError(name: string, power: 1 | 2): MetricFn {
  return (predictions, targets) => {
    checkSizes(name, predictions, targets);
    if (predictions.data.length !== targets.data.length) {
      throw argumentError(`${name}: targets`, `${predictions.cols} columns`, targets.cols);
    }
    let sum = 0;
    for (let i = 0; i < predictions.data.length; i++) {
      const d = Math.abs(predictions.data[i] - targets.data[i]);
      sum += power === 2 ? d * d : d;
    }
    return sum / predictions.data.length;
  };
}

/** Mean squared error over every element. */
export const meanSquaredError: MetricFn = meanError('mse', 2);
/** Mean absolute error over every element. */
export const meanAbsoluteError: MetricFn = meanError('mae', 1);

/** Every metric by name. */
export const metrics: Record<MetricName, MetricFn> = {
  accuracy,
  mse: meanSquaredError,
  mae: meanAbsoluteError,
  precision,
  recall,
  f1,
  rocAuc,
  logLoss,
};

export function getMetric(name: string): MetricFn {
  const fn = metrics[name as MetricName];
  if (!fn) throw argumentError('metric', `one of ${Object.keys(metrics).join(', ')}`, name);
  return fn;
}

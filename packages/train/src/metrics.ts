import { argumentError } from '@descent/tensor';
import type { Matrix } from './data';

/**
 * How the model's outputs are read: a regression value, a probability (bce), a logit
 * (bceWithLogits) or one score per class (crossEntropy).
 */
export type OutputKind = 'value' | 'probability' | 'logit' | 'classScores';

export type MetricName = 'accuracy' | 'mse' | 'mae';
export type MetricFn = (predictions: Matrix, targets: Matrix, kind: OutputKind) => number;

function checkSizes(name: string, predictions: Matrix, targets: Matrix): void {
  if (predictions.rows !== targets.rows) {
    throw argumentError(`${name}: targets`, `${predictions.rows} rows (one per prediction)`, targets.rows);
  }
  if (predictions.rows === 0) throw argumentError(`${name}: predictions`, 'at least one row', 0);
}

/** The predicted class of row r. */
export function predictedClass(predictions: Matrix, r: number, kind: OutputKind): number {
  const row = predictions.data.subarray(r * predictions.cols, (r + 1) * predictions.cols);
  if (kind === 'probability') return row[0] >= 0.5 ? 1 : 0;
  if (kind === 'logit') return row[0] >= 0 ? 1 : 0;
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
  return best;
}

/** The true class of row r: an index, or the arg-max of a one-hot row. */
function targetClass(targets: Matrix, r: number): number {
  if (targets.cols === 1) return targets.data[r];
  let best = 0;
  for (let c = 1; c < targets.cols; c++) {
    if (targets.data[r * targets.cols + c] > targets.data[r * targets.cols + best]) best = c;
  }
  return best;
}

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

export const meanSquaredError: MetricFn = meanError('mse', 2);
export const meanAbsoluteError: MetricFn = meanError('mae', 1);

export const metrics: Record<MetricName, MetricFn> = {
  accuracy,
  mse: meanSquaredError,
  mae: meanAbsoluteError,
};

export function getMetric(name: string): MetricFn {
  const fn = metrics[name as MetricName];
  if (!fn) throw argumentError('metric', `one of ${Object.keys(metrics).join(', ')}`, name);
  return fn;
}

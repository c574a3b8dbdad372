import type { MatrixLike } from '@descent/datasets';

/**
 * How the model's outputs are read: a regression value, a probability (bce), a logit
 * (bceWithLogits) or one score per class (crossEntropy).
 */
export type OutputKind = 'value' | 'probability' | 'logit' | 'classScores';

/** The predicted class of row r. */
export function predictedClass(predictions: MatrixLike, r: number, kind: OutputKind): number {
  const row = predictions.data.subarray(r * predictions.cols, (r + 1) * predictions.cols);
  if (kind === 'probability') return row[0] >= 0.5 ? 1 : 0;
  if (kind === 'logit') return row[0] >= 0 ? 1 : 0;
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
  return best;
}

/** The true class of row r: an index, or the arg-max of a one-hot row. */
export function targetClass(targets: MatrixLike, r: number): number {
  if (targets.cols === 1) return targets.data[r];
  let best = 0;
  for (let c = 1; c < targets.cols; c++) {
    if (targets.data[r * targets.cols + c] > targets.data[r * targets.cols + best]) best = c;
  }
  return best;
}

import type { MatrixLike } from '@descent/datasets';
import { argumentError } from '@descent/tensor';
import { type OutputKind, predictedClass, targetClass } from './output';

/**
 * Classification metrics on host arrays, with scikit-learn's definitions: binary outputs
 * (a probability or a logit) score the positive class 1; class scores are macro-averaged
 * over classes, as `average='macro'` does.
 */

function checkClassification(
  name: string,
  predictions: MatrixLike,
  targets: MatrixLike,
  kind: OutputKind,
): void {
  if (kind === 'value') throw argumentError(name, 'a classification output', 'a regression output');
  if (predictions.rows !== targets.rows) {
    throw argumentError(`${name}: targets`, `${predictions.rows} rows (one per prediction)`, targets.rows);
  }
  if (predictions.rows === 0) throw argumentError(`${name}: predictions`, 'at least one row', 0);
}

function classCount(predictions: MatrixLike, kind: OutputKind): number {
  return kind === 'classScores' ? predictions.cols : 2;
}

/** Rows are true classes, columns predicted classes (sklearn's layout). */
export function confusionMatrix(predictions: MatrixLike, targets: MatrixLike, kind: OutputKind): number[][] {
  checkClassification('confusionMatrix', predictions, targets, kind);
  const k = classCount(predictions, kind);
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let r = 0; r < predictions.rows; r++) {
    const truth = targetClass(targets, r);
    if (!Number.isInteger(truth) || truth < 0 || truth >= k) {
      throw argumentError(`confusionMatrix: targets row ${r}`, `a class index in [0, ${k})`, truth);
    }
    matrix[truth][predictedClass(predictions, r, kind)]++;
  }
  return matrix;
}

interface ClassCounts {
  tp: number;
  fp: number;
  fn: number;
}

function perClass(predictions: MatrixLike, targets: MatrixLike, kind: OutputKind): ClassCounts[] {
  const m = confusionMatrix(predictions, targets, kind);
  return m.map((row, c) => ({
    tp: row[c],
    fp: m.reduce((sum, other, t) => sum + (t === c ? 0 : other[c]), 0),
    fn: row.reduce((sum, v, p) => sum + (p === c ? 0 : v), 0),
  }));
}

/** sklearn's zero_division=0: an undefined ratio counts as 0. */
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

function averaged(kind: OutputKind, counts: ClassCounts[], score: (c: ClassCounts) => number): number {
  if (kind !== 'classScores') return score(counts[1]);
  return counts.reduce((sum, c) => sum + score(c), 0) / counts.length;
}

/** Precision, TP / (TP + FP), of class 1; macro-averaged over classes for class scores. */
export function precision(predictions: MatrixLike, targets: MatrixLike, kind: OutputKind): number {
  return averaged(kind, perClass(predictions, targets, kind), (c) => ratio(c.tp, c.tp + c.fp));
}

/** Recall, TP / (TP + FN), of class 1; macro-averaged over classes for class scores. */
export function recall(predictions: MatrixLike, targets: MatrixLike, kind: OutputKind): number {
  return averaged(kind, perClass(predictions, targets, kind), (c) => ratio(c.tp, c.tp + c.fn));
}

/** F1 score, the harmonic mean of precision and recall; macro-averaged over classes for class scores. */
export function f1(predictions: MatrixLike, targets: MatrixLike, kind: OutputKind): number {
  return averaged(kind, perClass(predictions, targets, kind), (c) => ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn));
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Per-row class probabilities: sigmoid of a logit, softmax of class scores. */
export function probabilities(predictions: MatrixLike, kind: OutputKind): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let r = 0; r < predictions.rows; r++) {
    const row = predictions.data.subarray(r * predictions.cols, (r + 1) * predictions.cols);
    if (kind === 'probability' || kind === 'logit') {
      const p = kind === 'logit' ? sigmoid(row[0]) : row[0];
      rows.push(Float64Array.of(1 - p, p));
    } else {
      const max = Math.max(...row);
      const exp = Float64Array.from(row, (v) => Math.exp(v - max));
      const total = exp.reduce((a, b) => a + b, 0);
      rows.push(exp.map((v) => v / total));
    }
  }
  return rows;
}

/** Mean negative log-likelihood of the true class; probabilities clipped to [1e-15, 1 - 1e-15]. */
export function logLoss(predictions: MatrixLike, targets: MatrixLike, kind: OutputKind): number {
  checkClassification('logLoss', predictions, targets, kind);
  const probs = probabilities(predictions, kind);
  let sum = 0;
  probs.forEach((p, r) => {
    const q = Math.min(Math.max(p[targetClass(targets, r)], 1e-15), 1 - 1e-15);
    sum -= Math.log(q);
  });
  return sum / probs.length;
}

/** Area under the ROC curve of scores for one positive class, by ranks (ties averaged). */
function binaryAuc(scores: ArrayLike<number>, positive: boolean[]): number {
  const order = Array.from(scores, (s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Float64Array(order.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const nPos = positive.filter(Boolean).length;
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  const rankSum = positive.reduce((sum, p, i) => sum + (p ? ranks[i] : 0), 0);
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Binary ROC AUC, or the one-vs-rest macro average over classes (sklearn's multi_class='ovr'). */
export function rocAuc(predictions: MatrixLike, targets: MatrixLike, kind: OutputKind): number {
  checkClassification('rocAuc', predictions, targets, kind);
  const truth = Array.from({ length: predictions.rows }, (_, r) => targetClass(targets, r));
  const probs = probabilities(predictions, kind);
  const classes = kind === 'classScores' ? predictions.cols : 2;
  const aucs: number[] = [];
  for (let c = kind === 'classScores' ? 0 : 1; c < classes; c++) {
    aucs.push(
      binaryAuc(
        probs.map((p) => p[c]),
        truth.map((t) => t === c),
      ),
    );
  }
  if (aucs.some(Number.isNaN)) {
    throw argumentError(
      'rocAuc: targets',
      'both positive and negative rows for every class',
      'a class with only one',
    );
  }
  return aucs.reduce((a, b) => a + b, 0) / aucs.length;
}

/** The ROC curve's points (false and true positive rates by decreasing threshold), for plotting. */
export function rocCurve(
  predictions: MatrixLike,
  targets: MatrixLike,
  kind: OutputKind,
): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  checkClassification('rocCurve', predictions, targets, kind);
  if (kind === 'classScores') throw argumentError('rocCurve', 'a binary output', 'class scores');
  const probs = probabilities(predictions, kind).map((p) => p[1]);
  const truth = Array.from({ length: predictions.rows }, (_, r) => targetClass(targets, r) === 1);
  const order = probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a]);
  const nPos = truth.filter(Boolean).length;
  const nNeg = truth.length - nPos;
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  let tp = 0;
  let fp = 0;
  order.forEach((i, k) => {
    if (truth[i]) tp++;
    else fp++;
    if (k === order.length - 1 || probs[order[k + 1]] !== probs[i]) {
      fpr.push(ratio(fp, nNeg));
      tpr.push(ratio(tp, nPos));
      thresholds.push(probs[i]);
    }
  });
  return { fpr, tpr, thresholds };
}

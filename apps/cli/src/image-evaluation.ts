import type { FloatImageDataset } from '@descent/datasets/images';
import {
  confusionMatrix,
  type Learner,
  type Matrix,
  type OutputKind,
  predictedClass,
  probabilities,
} from '@descent/train';
import { classificationMetrics, formatClassificationReport } from './classification-report';

/** A test image the model got wrong, with how sure it was. */
export interface Misclassified {
  /** Index in the test set. */
  index: number;
  label: number;
  predicted: number;
  /** The probability the model gave the true class, and its whole distribution. */
  trueProbability: number;
  probabilities: number[];
}

export interface ImageEvaluation {
  metrics: Record<string, number>;
  /** The metrics line and the confusion matrix as text. */
  text: string;
  predictions: Matrix;
  targets: Matrix;
  /** counts[true class][predicted class]. */
  confusion: number[][];
  /** The wrong predictions, most confident first (lowest probability of the true class). */
  worst: Misclassified[];
}

/** Predicts a labelled image set and scores it, keeping the `keep` worst mistakes for the report. */
export function evaluateImages(
  learner: Learner,
  test: FloatImageDataset,
  kind: OutputKind,
  { keep = 24 } = {},
): ImageEvaluation {
  const size = test.channels * test.height * test.width;
  const predictions = learner.predict({ data: test.images, rows: test.count, cols: size });
  const targets: Matrix = { data: test.labels, rows: test.count, cols: 1 };
  const probs = probabilities(predictions, kind);
  const wrong: Misclassified[] = [];
  for (let i = 0; i < test.count; i++) {
    const predicted = predictedClass(predictions, i, kind);
    const label = test.labels[i];
    if (predicted === label) continue;
    wrong.push({
      index: i,
      label,
      predicted,
      trueProbability: probs[i][label],
      probabilities: Array.from(probs[i]),
    });
  }
  wrong.sort((a, b) => a.trueProbability - b.trueProbability || a.index - b.index);
  return {
    metrics: classificationMetrics(predictions, targets, kind),
    text: formatClassificationReport(predictions, targets, kind, test.classes),
    predictions,
    targets,
    confusion: confusionMatrix(predictions, targets, kind),
    worst: wrong.slice(0, keep),
  };
}

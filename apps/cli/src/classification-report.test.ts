import { describe, expect, it } from 'vitest';
import { classificationMetrics, formatClassificationReport } from './classification-report';

const matrix = (data: number[], cols = 1) => ({
  data: Float32Array.from(data),
  rows: data.length / cols,
  cols,
});

describe('the classification report', () => {
  it('reports every other metric and says why ROC AUC is missing when the rows hold one class', () => {
    const predictions = matrix([0.9, 0.2, 0.7]);
    const targets = matrix([1, 1, 1]);
    const values = classificationMetrics(predictions, targets, 'probability');
    expect(Object.keys(values)).toEqual(['accuracy', 'precision', 'recall', 'f1', 'logLoss']);
    expect(values.accuracy).toBeCloseTo(2 / 3);
    const text = formatClassificationReport(predictions, targets, 'probability', ['no', 'yes']);
    expect(text).toContain('rocAuc: not computed: no row of class no here');
    expect(text).toContain('true yes');
  });

  it('keeps ROC AUC when both classes have rows', () => {
    const values = classificationMetrics(matrix([0.9, 0.2]), matrix([1, 0]), 'probability');
    expect(values.rocAuc).toBe(1);
  });
});

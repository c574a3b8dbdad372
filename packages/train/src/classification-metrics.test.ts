import { describe, expect, it } from 'vitest';
import reference from '../fixtures/metrics.json';
import { confusionMatrix, f1, logLoss, precision, recall, rocAuc, rocCurve } from './classification-metrics';
import { accuracy } from './metrics';
import type { OutputKind } from './output';

const matrix = (values: number[], cols: number) => ({
  data: Float64Array.from(values),
  rows: values.length / cols,
  cols,
});

describe(`classification metrics against scikit-learn ${reference.sklearn}`, () => {
  for (const c of reference.cases) {
    it(c.name, () => {
      const p = matrix(c.predictions, c.cols);
      const t = matrix(c.targets, 1);
      const kind = c.kind as OutputKind;
      expect(confusionMatrix(p, t, kind)).toEqual(c.confusionMatrix);
      for (const [fn, expected] of [
        [accuracy, c.accuracy],
        [precision, c.precision],
        [recall, c.recall],
        [f1, c.f1],
        [rocAuc, c.rocAuc],
        [logLoss, c.logLoss],
      ] as const) {
        expect(Math.abs(fn(p, t, kind) - expected)).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
      }
    });
  }
});

describe('classification metrics by hand', () => {
  it('counts a small confusion matrix and its ratios', () => {
    // truth 1,1,1,0,0 against predictions 1,0,1,1,0: tp 2, fn 1, fp 1, tn 1
    const p = matrix([0.9, 0.2, 0.8, 0.7, 0.1], 1);
    const t = matrix([1, 1, 1, 0, 0], 1);
    expect(confusionMatrix(p, t, 'probability')).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(precision(p, t, 'probability')).toBeCloseTo(2 / 3, 12);
    expect(recall(p, t, 'probability')).toBeCloseTo(2 / 3, 12);
    expect(f1(p, t, 'probability')).toBeCloseTo(2 / 3, 12);
    // positives score 0.9, 0.2, 0.8 against negatives 0.7, 0.1: 5 of 6 pairs ordered right
    expect(rocAuc(p, t, 'probability')).toBeCloseTo(5 / 6, 12);
  });

  it('traces a ROC curve from (0, 0) to (1, 1)', () => {
    const curve = rocCurve(matrix([0.9, 0.2, 0.8, 0.7, 0.1], 1), matrix([1, 1, 1, 0, 0], 1), 'probability');
    expect(curve.fpr).toEqual([0, 0, 0, 0.5, 0.5, 1]);
    expect(curve.tpr.map((v) => Number(v.toFixed(6)))).toEqual([0, 0.333333, 0.666667, 0.666667, 1, 1]);
  });

  it('refuses AUC with a single class and a regression output', () => {
    expect(() => rocAuc(matrix([0.2, 0.4], 1), matrix([1, 1], 1), 'probability')).toThrow(/rocAuc: targets/);
    expect(() => f1(matrix([0.2], 1), matrix([1], 1), 'value')).toThrow(/expected a classification output/);
  });
});

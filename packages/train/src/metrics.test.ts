import { describe, expect, it } from 'vitest';
import { accuracy, getMetric, meanAbsoluteError, meanSquaredError } from './metrics';

const m = (rows: number[][]) => ({
  data: Float32Array.from(rows.flat()),
  rows: rows.length,
  cols: rows[0].length,
});

describe('metrics', () => {
  it('reads probabilities at 0.5, logits at 0 and class scores by arg-max', () => {
    const targets = m([[1], [0], [1], [0]]);
    expect(accuracy(m([[0.9], [0.2], [0.4], [0.5]]), targets, 'probability')).toBe(0.5);
    expect(accuracy(m([[2], [-1], [-0.1], [0.3]]), targets, 'logit')).toBe(0.5);
    const scores = m([
      [0.1, 0.7, 0.2],
      [3, 1, 2],
      [0, 0, 1],
    ]);
    expect(accuracy(scores, m([[1], [0], [1]]), 'classScores')).toBeCloseTo(2 / 3, 12);
    expect(
      accuracy(
        scores,
        m([
          [0, 1, 0],
          [1, 0, 0],
          [0, 0, 1],
        ]),
        'classScores',
      ),
    ).toBe(1);
  });

  it('computes mse and mae by hand', () => {
    const p = m([[1], [2], [4]]);
    const t = m([[0], [2], [1]]);
    expect(meanSquaredError(p, t, 'value')).toBeCloseTo((1 + 0 + 9) / 3, 12);
    expect(meanAbsoluteError(p, t, 'value')).toBeCloseTo((1 + 0 + 3) / 3, 12);
  });

  it('refuses mismatched rows, accuracy of a regression and unknown names', () => {
    expect(() => meanSquaredError(m([[1], [2]]), m([[1]]), 'value')).toThrow(/mse: targets: expected 2 rows/);
    expect(() => accuracy(m([[1]]), m([[1]]), 'value')).toThrow(/accuracy: expected a classification output/);
    expect(() => getMetric('f2')).toThrow(
      /metric: expected one of accuracy, mse, mae, precision, recall, f1, rocAuc, logLoss, found "f2"/,
    );
  });
});

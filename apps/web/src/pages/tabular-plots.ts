import * as Plot from '@observablehq/plot';
import { legend, palette } from '../ui/charts';
import { h } from '../ui/dom';

/** Rows are the true classes, columns the predicted ones; the diagonal is what the model got right. */
export function confusionPlot(matrix: number[][], classes: string[]): HTMLElement {
  const cells = matrix.flatMap((row, i) =>
    row.map((count, j) => ({ actual: classes[i], predicted: classes[j], count, right: i === j })),
  );
  const max = Math.max(1, ...cells.map((c) => c.count));
  const total = cells.reduce((s, c) => s + c.count, 0);
  const right = cells.filter((c) => c.right).reduce((s, c) => s + c.count, 0);
  const chart = Plot.plot({
    ariaLabel: 'Confusion matrix: true classes in rows, predicted classes in columns',
    ariaDescription: `${right} of ${total} test rows on the diagonal (right)`,
    width: 360,
    height: 80 + 60 * classes.length,
    marginLeft: 90,
    marginBottom: 45,
    style: { background: 'transparent', fontSize: '12px' },
    x: { label: 'predicted', domain: classes },
    y: { label: 'actual', domain: classes },
    color: { type: 'linear', scheme: 'blues', domain: [0, max] },
    marks: [
      Plot.cell(cells, { x: 'predicted', y: 'actual', fill: 'count', inset: 1 }),
      Plot.text(cells, {
        x: 'predicted',
        y: 'actual',
        text: (d: { count: number }) => String(d.count),
        fill: (d: { count: number }) => (d.count > max / 2 ? 'white' : 'black'),
        fontSize: 15,
        fontWeight: 700,
      }),
    ],
  });
  return h(
    'figure',
    { class: 'chart' },
    chart,
    h('figcaption', { class: 'note', text: `${right} of ${total} test rows on the diagonal (right).` }),
  );
}

/** The ROC curve from @descent/train's rocCurve, with the chance diagonal. */
export function rocPlot(roc: { fpr: number[]; tpr: number[] }, auc: number, positive: string): HTMLElement {
  const points = roc.fpr.map((x, i) => ({ x, y: roc.tpr[i] }));
  const chart = Plot.plot({
    ariaLabel: `ROC curve for ${positive}: true positive rate against false positive rate`,
    ariaDescription: `Area under the curve ${auc.toFixed(3)}; the diagonal is chance`,
    width: 360,
    height: 320,
    style: { background: 'transparent', fontSize: '12px' },
    x: { label: 'false positive rate', domain: [0, 1] },
    y: { label: 'true positive rate', domain: [0, 1], grid: true },
    marks: [
      Plot.line(
        [
          { x: 0, y: 0 },
          { x: 1, y: 1 },
        ],
        { x: 'x', y: 'y', stroke: '#888', strokeDasharray: '4,4' },
      ),
      Plot.line(points, { x: 'x', y: 'y', stroke: palette.blue, strokeWidth: 2.5 }),
    ],
  });
  return h(
    'figure',
    { class: 'chart' },
    legend([
      { name: `model (AUC ${auc.toFixed(3)})`, color: palette.blue },
      { name: 'chance', color: '#888', dash: '4,4' },
    ]),
    chart,
    h('figcaption', {
      class: 'note',
      text: `Positive class: ${positive}. Each point is one threshold on the predicted probability.`,
    }),
  );
}

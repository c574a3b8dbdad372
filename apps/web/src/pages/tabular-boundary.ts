import { getColumn } from '@descent/datasets';
import type { Sequential } from '@descent/layers';
import { tf } from '@descent/tensor';
import { read } from '../lib/read';
import type { TabularSetup, TabularTask } from '../lib/tabular-task';
import { seriesColors } from '../ui/charts';
import { fmt } from '../ui/dom';
import { boundaryFigure, drawHeat, drawPoints, heatLegend, type MapPoint } from '../ui/heat-map';

/**
 * #/tabular's decision boundary, drawn when the table has exactly two numeric inputs (a
 * two-column CSV, say): the model's answer over the plane of its two scaled inputs, with the
 * training and test rows on it, as the Playground page draws it.
 */

const GRID = 40;

/** Whether the boundary can be drawn: two input columns, both numeric (one input each once encoded). */
export function hasTwoNumericInputs(setup: TabularSetup, task: TabularTask): boolean {
  return (
    setup.features.length === 2 &&
    task.featureNames.length === 2 &&
    setup.features.every((f) => getColumn(setup.table, f).kind === 'numeric')
  );
}

/** The square the map covers: both inputs' range over all rows, padded by a tenth. */
export function plotRange(task: TabularTask): { lo: number[]; hi: number[] } {
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (const X of [task.train.X, task.test.X]) {
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < 2; j++) {
        const v = X.data[i * 2 + j];
        lo[j] = Math.min(lo[j], v);
        hi[j] = Math.max(hi[j], v);
      }
    }
  }
  for (let j = 0; j < 2; j++) {
    const pad = (hi[j] - lo[j]) / 10 || 1;
    lo[j] -= pad;
    hi[j] += pad;
  }
  return { lo, hi };
}

/** Cell centres of a `size` × `size` grid over the range, row-major, row 0 at the top (high x₂). */
export function rangeGrid(range: { lo: number[]; hi: number[] }, size: number): Float32Array {
  const out = new Float32Array(2 * size * size);
  const at = (j: number, i: number) => range.lo[j] + ((i + 0.5) * (range.hi[j] - range.lo[j])) / size;
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      out[2 * (row * size + col)] = at(0, col);
      out[2 * (row * size + col) + 1] = at(1, size - 1 - row);
    }
  }
  return out;
}

export function tabularBoundary() {
  const figure = boundaryFigure({
    size: GRID,
    px: 360,
    label:
      'Decision boundary over the two scaled inputs, with training rows (white ring) and test rows (dark ring)',
    testId: 'tabular-boundary',
  });
  const legend = heatLegend('', '');
  let names: string[] = [];

  /** Draws the rows, and the model's answer over the plane when there is a model. */
  async function draw(task: TabularTask, model: Sequential | null, epoch: number): Promise<void> {
    const range = plotRange(task);
    const toMap = (side: TabularTask['train'], test: boolean): MapPoint[] =>
      Array.from(side.y, (y, i) => ({
        u: (side.X.data[2 * i] - range.lo[0]) / (range.hi[0] - range.lo[0]),
        v: (range.hi[1] - side.X.data[2 * i + 1]) / (range.hi[1] - range.lo[1]),
        value: 2 * y - 1,
        colour: task.binary ? undefined : seriesColors[y % seriesColors.length],
        test,
      }));
    drawPoints(figure.dots, [...toMap(task.train, false), ...toMap(task.test, true)]);
    names = task.featureNames;
    legend.firstElementChild!.textContent = task.binary ? task.classes[0] : '';
    legend.lastElementChild!.textContent = task.binary ? task.classes[1] : '';
    (legend as HTMLElement).hidden = !task.binary;
    if (!model) {
      figure.heat.getContext('2d')?.clearRect(0, 0, GRID, GRID);
      figure.summary.textContent = `The ${task.train.X.rows} training and ${task.test.X.rows} test rows over ${names.join(' and ')} (scaled). Train the model to see its boundary.`;
      return;
    }
    const out = tf.tidy(() => {
      const logits = model.forward(tf.tensor2d(rangeGrid(range, GRID), [GRID * GRID, 2]));
      return task.binary ? tf.sigmoid(logits) : tf.softmax(logits);
    });
    const values = await read(out);
    out.dispose();
    if (task.binary) drawHeat(figure.heat, values, 0, 1);
    else drawClasses(figure.heat, values, task.classes.length);
    figure.summary.textContent = `After epoch ${fmt(epoch, 3)}: the class the model picks at each point of the plane of ${names.join(
      ' and ',
    )} (scaled), paler where it is unsure, with the rows on top.`;
  }

  return { el: figure.el, legend, summary: figure.summary, draw };
}

/** Several classes: each cell in its class's colour, faded towards white where the model is unsure. */
function drawClasses(canvas: HTMLCanvasElement, probs: ArrayLike<number>, k: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(canvas.width, canvas.height);
  const rgb = seriesColors.map((c) => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16)));
  for (let p = 0; p < canvas.width * canvas.height; p++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[p * k + c] > probs[p * k + best]) best = c;
    const sure = (probs[p * k + best] - 1 / k) / (1 - 1 / k);
    const colour = rgb[best % rgb.length];
    for (let i = 0; i < 3; i++) image.data[4 * p + i] = Math.round(246 + (colour[i] - 246) * sure * 0.8);
    image.data[4 * p + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

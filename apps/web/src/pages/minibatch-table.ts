import { h } from '../ui/dom';
import { type Recipe, recipes, type ScheduleName } from './minibatch-recipes';

interface Cell {
  el: HTMLOutputElement;
  set(v: number | string): void;
}

/** A table cell's number: shown rounded, kept whole in `data-value` for tests and screen readers. */
function valueCell(testId: string, format: (v: number) => string): Cell {
  const el = h('output', { text: '–', attrs: { 'data-testid': testId } });
  return {
    el,
    set(v) {
      el.textContent = typeof v === 'number' ? format(v) : v;
      el.dataset.value = String(v);
    },
  };
}

export interface RecipeRow {
  loss: Cell;
  accuracy: Cell;
  lr: Cell;
}

/** One row per recipe: its last epoch's training loss, its held-out accuracy, the rate it steps with. */
export function resultsTable(schedule: ScheduleName): {
  el: HTMLTableElement;
  rows: RecipeRow[];
  setSchedule(name: ScheduleName): void;
  clear(): void;
} {
  const rows = recipes.map((r) => ({
    loss: valueCell(`mb-loss-${r.key}`, (v) => v.toFixed(4)),
    accuracy: valueCell(`mb-accuracy-${r.key}`, (v) => `${(v * 100).toFixed(1)}\u00a0%`),
    lr: valueCell(`mb-lr-${r.key}`, (v) =>
      v >= 1e-3 ? String(Number(v.toPrecision(3))) : v.toExponential(2),
    ),
  }));
  const names = recipes.map((r) => h('span', { text: r.label(schedule) }));
  const swatch = (r: Recipe) =>
    h('span', { class: 'swatch', style: { background: r.color }, attrs: { 'aria-hidden': 'true' } });
  const el = h(
    'table',
    { class: 'data', attrs: { 'data-testid': 'mb-results' } },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['run', 'training loss', 'held out', 'rate now'].map((text) => h('th', { text })),
      ),
    ),
    h(
      'tbody',
      {},
      recipes.map((r, i) =>
        h(
          'tr',
          {},
          h('th', {}, swatch(r), ' ', names[i]),
          h('td', {}, rows[i].loss.el),
          h('td', {}, rows[i].accuracy.el),
          h('td', {}, rows[i].lr.el),
        ),
      ),
    ),
  );
  return {
    el,
    rows,
    setSchedule(name) {
      recipes.forEach((r, i) => {
        names[i].textContent = r.label(name);
      });
    },
    clear() {
      for (const row of rows) for (const cell of [row.loss, row.accuracy, row.lr]) cell.set('–');
    },
  };
}

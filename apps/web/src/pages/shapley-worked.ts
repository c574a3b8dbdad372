import { ExactExplainer } from '@descent/shap';
import { fmt, h } from '../ui/dom';
import { panel } from './page';
import { game, gameFormula, players, shapleyByOrderings } from './shapley-recipe';

/**
 * The worked example panel: three players' values and baselines to edit, a row per order with
 * each δ, their average, and the same numbers from @descent/shap's ExactExplainer beside it.
 */
export function shapleyWorkedPanel(): HTMLElement {
  const x = [1, 2, 3];
  const baseline = [0, 0, 0];
  const table = h('div', { class: 'scroll-x' });
  const check = h('p', { class: 'note', attrs: { 'data-testid': 'shapley-check', 'aria-live': 'polite' } });
  let token = 0;
  const field = (values: number[], i: number, what: string) => {
    const input = h('input', {
      attrs: {
        type: 'number',
        step: 0.5,
        value: values[i],
        'aria-label': `${players[i]} ${what}`,
        'data-testid': `shapley-${what}-${i}`,
      },
      on: {
        change: () => {
          const v = Number(input.value);
          values[i] = Number.isFinite(v) ? v : 0;
          void update();
        },
      },
    });
    return input;
  };
  const inputs = h(
    'table',
    { class: 'data' },
    h('caption', { text: 'The players: their values, and the baseline each takes while it has not joined' }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { text: '' }),
        players.map((p) => h('th', { text: p, attrs: { scope: 'col' } })),
      ),
    ),
    h(
      'tbody',
      {},
      h(
        'tr',
        {},
        h('th', { text: 'value x', attrs: { scope: 'row' } }),
        players.map((_, i) => h('td', {}, field(x, i, 'value'))),
      ),
      h(
        'tr',
        {},
        h('th', { text: 'baseline', attrs: { scope: 'row' } }),
        players.map((_, i) => h('td', {}, field(baseline, i, 'baseline'))),
      ),
    ),
  );

  async function update(): Promise<void> {
    const id = ++token;
    const result = shapleyByOrderings(game, x, baseline);
    table.replaceChildren(
      h(
        'table',
        { class: 'data', attrs: { 'data-testid': 'shapley-table' } },
        h('caption', {
          text: `Each order of joining, and each player's δ: the value with it minus the value just before it joined (${gameFormula}).`,
        }),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { text: 'order', attrs: { scope: 'col' } }),
            players.map((p) => h('th', { text: `δ ${p}`, attrs: { scope: 'col' } })),
          ),
        ),
        h(
          'tbody',
          {},
          result.rows.map((r) =>
            h(
              'tr',
              {},
              h('th', { text: r.order.map((p) => players[p]).join(' → '), attrs: { scope: 'row' } }),
              r.deltas.map((d) => h('td', { text: fmt(d) })),
            ),
          ),
        ),
        h(
          'tfoot',
          {},
          h(
            'tr',
            {},
            h('th', { text: 'average = Shapley value', attrs: { scope: 'row' } }),
            result.average.map((v, p) =>
              h(
                'td',
                {},
                h('strong', { text: fmt(v), attrs: { 'data-testid': `shapley-${p}`, 'data-value': v } }),
              ),
            ),
          ),
        ),
      ),
      h('p', {
        class: 'note',
        text: `They add up to f(x) − f(baseline) = ${fmt(result.full)} − ${fmt(result.empty)} = ${fmt(result.full - result.empty)}: the whole change is shared out, nothing lost, nothing invented.`,
      }),
    );
    try {
      const model = (X: { data: ArrayLike<number>; rows: number; cols: number }) =>
        Array.from({ length: X.rows }, (_, r) => game([0, 1, 2].map((c) => X.data[r * X.cols + c])));
      const explanation = await new ExactExplainer(model, [baseline.slice()]).explain([x.slice()]);
      if (id !== token) return;
      const exact = explanation.values[0] as number[];
      const same = exact.every((v, p) => Math.abs(v - result.average[p]) < 1e-9);
      check.textContent = `@descent/shap's ExactExplainer (all 2³ = 8 coalitions, weighted) gives ${exact.map((v) => fmt(v)).join(', ')}: ${same ? 'the same values as the six orders by hand.' : 'different from the hand method!'}`;
    } catch (error) {
      check.textContent = `ExactExplainer failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  void update();
  return panel(
    'Shapley values by hand: three players, six orders',
    h('p', {
      class: 'note',
      text: 'A Shapley value is a player’s marginal contribution δ averaged over every order in which the players could join. With three players there are 3! = 6 orders. Edit the values: x₂ and x₃ interact, so what each gets depends on who joined before it.',
    }),
    h('div', { class: 'scroll-x' }, inputs),
    table,
    check,
  );
}

import { bceWithLogits, mse } from '@descent/losses';
import { tf } from '@descent/tensor';
import { readout } from '../ui/controls';
import { fmt, h } from '../ui/dom';
import { showError } from '../ui/notices';
import { panel } from './page';

const patients = ['Low', 'Medium', 'High'];
const efficacy = [0, 1, 0];

/** One patient's share of the BCE: −[y·log p + (1 − y)·log(1 − p)]. */
const bceTerm = (y: number, p: number) => -(y * Math.log(p) + (1 - y) * Math.log(1 - p));

/**
 * The course's cost-function table: before training, the network says 0.5 for every patient.
 * Each prediction can be edited; the per-patient errors are worked out here and the two means
 * by @descent/losses on the running backend, so the table checks the library.
 */
export function costTable(): HTMLElement {
  const predictions = [0.5, 0.5, 0.5];
  const body = h('tbody');
  const mseOut = readout('MSE', 'cost-mse');
  const bceOut = readout('BCE', 'cost-bce');
  const check = h('p', { class: 'note', attrs: { 'data-testid': 'cost-check' } });
  let token = 0;

  const inputs = predictions.map((p, i) =>
    h('input', {
      attrs: {
        type: 'number',
        min: 0.01,
        max: 0.99,
        step: 0.05,
        value: p,
        'aria-label': `Prediction for the ${patients[i].toLowerCase()} dosage`,
        'data-testid': `cost-prediction-${i}`,
      },
      on: {
        change: (event) => {
          const v = Number((event.target as HTMLInputElement).value);
          predictions[i] = Number.isFinite(v) ? Math.min(0.99, Math.max(0.01, v)) : 0.5;
          void update().catch((error) => showError(error, 'the cost table'));
        },
      },
    }),
  );

  async function update(): Promise<void> {
    const id = ++token;
    body.replaceChildren(
      ...patients.map((name, i) =>
        h(
          'tr',
          {},
          h('th', { text: name, attrs: { scope: 'row' } }),
          h('td', { text: String(efficacy[i]) }),
          h('td', {}, inputs[i]),
          h('td', { text: fmt((efficacy[i] - predictions[i]) ** 2) }),
          h('td', { text: fmt(bceTerm(efficacy[i], predictions[i])) }),
        ),
      ),
    );
    // BCE as bceWithLogits of the log-odds (the same number): its checks read only host data,
    // which every backend, WebGPU included, can do.
    const [m, b] = tf.tidy(() => {
      const p = tf.tensor2d(predictions, [3, 1]);
      const y = tf.tensor2d(efficacy, [3, 1]);
      const logits = tf.tensor2d(
        predictions.map((q) => Math.log(q / (1 - q))),
        [3, 1],
      );
      return [mse(p, y), bceWithLogits(logits, y)];
    });
    const [mv, bv] = await Promise.all([m.data(), b.data()]);
    tf.dispose([m, b]);
    if (id !== token) return;
    showHeading();
    mseOut.set(mv[0]);
    bceOut.set(bv[0]);
    const byHand = [
      predictions.reduce((s, p, i) => s + (efficacy[i] - p) ** 2, 0) / 3,
      predictions.reduce((s, p, i) => s + bceTerm(efficacy[i], p), 0) / 3,
    ];
    const agree = Math.abs(byHand[0] - mv[0]) < 1e-5 && Math.abs(byHand[1] - bv[0]) < 1e-5;
    check.textContent = agree
      ? `The means of the two columns, worked out by hand, match @descent/losses on ${tf.getBackend()}.${predictions.every((p) => p === 0.5) ? ' At 0.5 for everyone: MSE = 0.25, BCE = ln 2 ≈ 0.6931.' : ''}`
      : `By hand: MSE ${fmt(byHand[0])}, BCE ${fmt(byHand[1])}; @descent/losses disagrees.`;
  }

  void update().catch((error) => showError(error, 'the cost table'));
  // The heading names the predictions in the table (yours to edit), not the network's above:
  // those move as it trains, these stay where you put them.
  const section = panel(
    costHeading(predictions),
    h(
      'div',
      { class: 'scroll-x' },
      h(
        'table',
        { class: 'data', attrs: { 'data-testid': 'cost-table' } },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Patient', 'Efficacy y', 'Prediction ŷ', '(y − ŷ)²', '−[y log ŷ + (1−y) log(1−ŷ)]'].map((t) =>
              h('th', { text: t, attrs: { scope: 'col' } }),
            ),
          ),
        ),
        body,
      ),
    ),
    h('div', { class: 'readouts' }, mseOut.el, bceOut.el),
    check,
    h(
      'p',
      { class: 'note' },
      'MSE asks "how far off are my numbers?"; BCE asks "how well do my probabilities match?" Edit a prediction: a confident wrong one (0.95 for the high dosage) costs BCE far more than MSE. These predictions are yours, not the network’s above: they start at 0.5 for everyone, a coin toss.',
    ),
  );
  const heading = section.querySelector('h2');
  heading?.setAttribute('data-testid', 'cost-heading');
  return section;

  function showHeading(): void {
    if (heading) heading.textContent = costHeading(predictions);
  }
}

/** The cost panel's heading, from the predictions the table holds now. */
export function costHeading(predictions: number[]): string {
  return predictions.every((p) => p === 0.5)
    ? 'Cost functions: predictions of 0.5 for everyone (a coin toss)'
    : `Cost functions: predictions of ${predictions.map((p) => fmt(p, 3)).join(' / ')}`;
}

export interface ParameterValues {
  w1: number[];
  b1: number[];
  w2: number[];
  b2: number;
}

/**
 * Parameters (inside the model, learned) beside hyperparameters (outside it, chosen before
 * training). The parameters' values follow the training; the hyperparameters are the page's
 * own controls.
 */
export function parametersPanel(hyper: () => [string, string][]) {
  const params = h('ul', { class: 'plain', attrs: { 'data-testid': 'parameters' } });
  const hypers = h('ul', { class: 'plain', attrs: { 'data-testid': 'hyperparameters' } });
  const item = (name: string, value: string) => h('li', {}, h('strong', { text: `${name} ` }), value);
  return {
    el: panel(
      'Parameters vs hyperparameters',
      h(
        'div',
        { class: 'two-lists' },
        h('div', {}, h('h3', { text: 'Parameters: inside the model, learned (7 numbers)' }), params),
        h('div', {}, h('h3', { text: 'Hyperparameters: outside the model, set before training' }), hypers),
      ),
      h('p', {
        class: 'note',
        text: "Hyperparameters are set before training to estimate a model's parameters.",
      }),
    ),
    show(v: ParameterValues): void {
      const list = (xs: number[]) => `[${xs.map((x) => fmt(x, 3)).join(', ')}]`;
      params.replaceChildren(
        item('w₁', `${list(v.w1)} (dose → each softplus)`),
        item('b₁', `${list(v.b1)} (each softplus's bias)`),
        item('w₂', `${list(v.w2)} (each path → output)`),
        item('b₂', `${fmt(v.b2, 3)} (the output's bias)`),
      );
      hypers.replaceChildren(...hyper().map(([name, value]) => item(name, value)));
    },
  };
}

import { barPlot, beeswarmPlot, type Explanation, imagePlot, waterfallPlot } from '@descent/shap';
import { slowBackend } from '../backend';
import type { TabularModel } from '../lib/tabular-task';
import { button, numberField, readout, selectField } from '../ui/controls';
import { h } from '../ui/dom';
import { showError } from '../ui/notices';
import { runControls } from '../ui/run-controls';
import { type PageContext, pageHeader, panel } from './page';
import { type DigitExplainer, makeDigitExplainer } from './shap-digit';
import {
  birdLabel,
  inOriginalUnits,
  penguinClassifier,
  penguinExplainer,
  probabilityOfMale,
} from './shap-recipe';
import { shapleyWorkedPanel } from './shapley-worked';

/** Our own package's SVG (no user text reaches it unescaped): safe to place as markup. */
function svgBox(svg: string, testId: string, label: string): HTMLElement {
  const box = h('div', { class: 'svg-box', attrs: { 'data-testid': testId } });
  box.innerHTML = svg;
  const chart = box.querySelector('svg');
  chart?.setAttribute('role', 'img');
  chart?.setAttribute('aria-label', label);
  return box;
}

export function mount({ root, page }: PageContext) {
  let trained: TabularModel | null = null;
  let explanation: Explanation | null = null;
  let digits: DigitExplainer | null = null;

  const controls = runControls();
  const status = h('p', { class: 'note', attrs: { 'aria-live': 'polite', 'data-testid': 'shap-status' } });
  const accOut = readout('Model test accuracy', 'accuracy');
  const lossOut = readout('Training loss', 'loss');
  const rowSelect = selectField<string>({
    label: 'Explain test bird',
    value: '0',
    options: [],
    testId: 'row',
    onChange: () => showWaterfall(),
  });
  const barBox = h('div');
  const beeBox = h('div');
  const waterfallBox = h('div');
  const digitBox = h('div');
  const digitInfo = h('p', { class: 'note' });
  // A software GPU or the CPU backend runs each of the digit's 2,146 coalitions slowly (about
  // three minutes for the whole page on SwiftShader): fewer epochs and coalitions keep it near one.
  const slow = slowBackend();
  const epochs = numberField({
    label: 'Training epochs',
    value: slow ? 10 : 30,
    min: 1,
    max: 500,
    testId: 'epochs',
  });
  // Each sampled coalition is one forward pass of the digit network: fewer is quicker, rougher.
  const coalitions = selectField<string>({
    label: 'Coalitions sampled per digit',
    value: slow ? '128' : 'auto',
    testId: 'nsamples',
    options: [
      { value: 'auto', label: 'auto (2 × 49 + 2048)' },
      { value: '512', label: '512' },
      { value: '128', label: '128 (quick, rough)' },
    ],
  });
  const nextDigit = button('Explain another digit', () => void explainDigit(1), { testId: 'next-digit' });
  nextDigit.disabled = true;

  root.append(
    pageHeader(
      9,
      'SHAP',
      'Shapley values share a prediction out among the inputs: each feature gets its average contribution over every order in which the features could join. Here a penguin classifier (is this bird male?) and a digit classifier are explained. Red pushes the prediction up, blue pushes it down.',
    ),
    h('div', { class: 'toolbar' }, epochs.el),
    controls.el,
    status,
    h('div', { class: 'readouts' }, lossOut.el, accOut.el),
    h(
      'div',
      { class: 'grid-2' },
      panel('Which features matter overall (mean |SHAP|, ExactExplainer)', barBox),
      panel('Every test bird, every feature', beeBox),
      panel(
        'One bird, feature by feature (ExactExplainer)',
        h('div', { class: 'toolbar' }, rowSelect.el),
        waterfallBox,
        h('p', {
          class: 'note',
          attrs: { 'data-testid': 'waterfall-units' },
          text: 'Units: log-odds of “male”, the model’s output before the sigmoid. The base value is the average log-odds over the background birds; each bar adds a feature’s SHAP value, and the end is this bird’s log-odds. +1 multiplies the odds by e ≈ 2.7; log-odds 0 is probability 0.5. The penguin model has few inputs, so ExactExplainer evaluates every coalition.',
        }),
      ),
      panel(
        'Which pixels made the digit classifier decide (KernelSHAP)',
        h('p', {
          class: 'note',
          text: 'The 49 patches of 4×4 pixels are the players: 2⁴⁹ coalitions are far too many to evaluate, so KernelSHAP (KernelExplainer) samples some of them and fits a weighted linear model whose coefficients estimate the Shapley values. Units: the predicted class’s probability.',
        }),
        h('div', { class: 'toolbar' }, coalitions.el),
        digitBox,
        digitInfo,
        nextDigit,
      ),
    ),
    shapleyWorkedPanel(),
  );

  function placeholder(): void {
    for (const box of [barBox, beeBox, waterfallBox, digitBox]) {
      box.replaceChildren(h('p', { class: 'note', text: 'Press Start: train the model, then explain it.' }));
    }
  }

  function reset(): void {
    trained?.dispose();
    trained = null;
    digits?.dispose();
    digits = null;
    explanation = null;
    nextDigit.disabled = true;
    status.textContent = '';
    lossOut.set('–');
    accOut.set('–');
    digitInfo.textContent = '';
    placeholder();
  }

  function showWaterfall(): void {
    if (!explanation) return;
    const row = Number(rowSelect.value);
    waterfallBox.replaceChildren(
      svgBox(
        waterfallPlot(explanation, row, { maxDisplay: 8, width: 520 }),
        'waterfall',
        `Waterfall for test bird ${row + 1}: from the base value, each feature's SHAP value in log-odds, to the bird's log-odds`,
      ),
    );
  }

  async function explainDigit(step: number): Promise<void> {
    const run = trainer.run;
    if (!digits || !run) return;
    nextDigit.disabled = true;
    try {
      const result = await digits.explainNext(step, run);
      if (!result) return;
      digitBox.replaceChildren(
        svgBox(
          imagePlot(result.explanation, { width: 420 }),
          'digit-heatmap',
          `KernelSHAP heat map of the digit's 4×4 patches: ${result.caption}`,
        ),
      );
      digitInfo.textContent = result.caption;
    } catch (error) {
      showError(error, 'explaining a digit');
    } finally {
      nextDigit.disabled = false;
    }
  }

  let seed = controls.seed;
  const trainer = page.trainer(
    {
      doing: 'SHAP',
      reset,
      prepare: () => {
        reset();
        seed = controls.seed;
      },
      train: async (self) => {
        const { task: t, model: m } = penguinClassifier(seed);
        trained = m;
        status.textContent = 'Training the penguin classifier…';
        await m.learner.fit(t.train, {
          epochs: epochs.value,
          batchSize: 32,
          seed,
          signal: self.signal,
          callbacks: [
            {
              onEpochEnd: async (logs) => {
                lossOut.set(logs.loss);
                await self.checkpoint();
              },
            },
          ],
        });
        if (self.aborted) return;
        accOut.set((await m.learner.evaluateAsync(t.test)).accuracy);

        const explainer = penguinExplainer(
          probabilityOfMale(m.learner, () => self.checkpoint()),
          t,
          seed,
        );
        status.textContent = `Explaining ${t.test.X.rows} test birds (every coalition of ${t.featureNames.length} features)…`;
        const explained = await explainer.explain(t.test.X, {
          signal: self.signal,
          onProgress: ({ done, total }) => {
            status.textContent = `Explaining the test birds: ${done} of ${total}…`;
          },
        });
        explanation = inOriginalUnits(explained, t);
        rowSelect.input.replaceChildren(
          ...Array.from({ length: t.test.X.rows }, (_, i) =>
            h('option', { text: birdLabel(t, i), attrs: { value: String(i) } }),
          ),
        );
        barBox.replaceChildren(
          svgBox(
            barPlot(explanation, { maxDisplay: 8, width: 520 }),
            'bar',
            'Mean absolute SHAP value per feature over the test birds',
          ),
        );
        beeBox.replaceChildren(
          svgBox(
            beeswarmPlot(explanation, { maxDisplay: 8, width: 520 }),
            'beeswarm',
            'Every test bird’s SHAP value per feature, coloured by the feature’s value',
          ),
        );
        showWaterfall();
        status.textContent = 'Explaining a digit: loading the digit classifier…';
        digits = await makeDigitExplainer({
          seed,
          run: self,
          report: (text) => (status.textContent = text),
          nsamples: () => (coalitions.value === 'auto' ? 'auto' : Number(coalitions.value)),
        });
        if (self.aborted) return;
        await explainDigit(0);
        status.textContent = 'Done. Pick another bird, or explain another digit.';
      },
    },
    controls,
  );
  page.onLeave(() => {
    trained?.dispose();
    digits?.dispose();
  });
  placeholder();
}

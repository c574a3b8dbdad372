import {
  type Conv2d,
  disposeFeatureMaps,
  featureMapImagesAsync,
  featureMaps,
  filtersAsync,
} from '@descent/cnn';
import type { Sequential } from '@descent/layers';
import type { Adam, OneCycleLR } from '@descent/optim';
import { tf } from '@descent/tensor';
import { type Learner, probabilities } from '@descent/train';
import * as Plot from '@observablehq/plot';
import { slowBackend } from '../backend';
import { type DigitSet, loadDigitSplit } from '../lib/digits';
import { DrawPad } from '../lib/draw-pad';
import { thumbs, toRows } from '../lib/pixels';
import { lineChart, palette, throttledRender } from '../ui/charts';
import { button, numberField, readout, selectField, slider } from '../ui/controls';
import { h } from '../ui/dom';
import { showError } from '../ui/notices';
import { runControls } from '../ui/run-controls';
import { clockReadouts, TrainingClock } from '../ui/training-clock';
import { doubtNote, NetworkExplainer } from './digits-explainer';
import {
  batchSize,
  dataNote,
  digitsDefaults,
  digitsLearner,
  oneCycle,
  peakLr,
  slowNote,
  testDigitIndex,
  testSizes,
  trainSizes,
} from './digits-recipe';
import { type PageContext, pageHeader, panel } from './page';

export function mount({ root, page }: PageContext) {
  let data: { train: DigitSet; test: DigitSet } | null = null;
  let dataKey = '';
  let model: Sequential | null = null;
  let optimizer: Adam | null = null;
  let schedule: OneCycleLR | null = null;
  const slow = slowBackend();
  const defaults = digitsDefaults(slow);
  const clock = new TrainingClock();
  let learner: Learner | null = null;
  let seen = 0;
  let losses: { x: number; y: number }[] = [];
  let accuracy: { x: number; y: number }[] = [];
  let pickCount = 0;
  /** Reads still under way (filters, a drawn digit): leaving the page waits for them. */
  const pending = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    void work.finally(() => pending.delete(work)).catch(() => {});
    return work;
  };
  /** Bumped by every inspection, so an older one that finishes late does not draw over a newer. */
  let inspection = 0;

  const size = selectField({
    label: 'Training images',
    value: defaults.train,
    testId: 'train-size',
    options: trainSizes.map((v) => ({ value: v, label: v === '8000' ? '8000 (all)' : v })),
  });
  // Fewer held-out digits evaluate faster: every evaluation runs the network over all of them.
  const testSize = selectField({
    label: 'Held-out digits',
    value: defaults.test,
    testId: 'test-size',
    options: testSizes.map((v) => ({ value: v, label: v === '2000' ? '2000 (all)' : v })),
  });
  const epochs = numberField({ label: 'Epochs', value: defaults.epochs, min: 1, max: 50, testId: 'epochs' });
  const lr = slider({
    label: 'Peak learning rate (Adam, one-cycle)',
    value: peakLr,
    min: 1e-4,
    max: 0.1,
    scale: 'log',
  });
  const controls = runControls();
  const epochOut = readout('Epoch', 'epoch');
  const seenOut = readout('Images seen', 'seen');
  const lossOut = readout('Batch loss', 'loss');
  const accOut = readout('Test accuracy', 'accuracy');
  const clockOut = clockReadouts(clock);
  const summary = h('p', { class: 'summary', attrs: { 'data-testid': 'summary', 'aria-live': 'polite' } });
  const lossBox = h('div');
  const accBox = h('div');
  const probBox = h('div', { attrs: { 'data-testid': 'probabilities' } });
  const filterBox = h('div', { attrs: { 'data-testid': 'filters' } });
  const mapsBox = h('div', { attrs: { 'data-testid': 'feature-maps' } });
  const inputBox = h('div');
  const reread = () => void inspect().catch((error) => showError(error, 'reading the digit'));
  const explainer = new NetworkExplainer(reread);
  const pad = new DrawPad(() => {
    explainer.offset = [0, 0];
    reread();
  });

  const lossChart = throttledRender(lossBox, () =>
    lineChart([{ name: 'batch loss', points: losses, color: palette.blue }], {
      x: 'images seen',
      y: 'cross-entropy',
      width: 420,
      height: 220,
    }),
  );
  const accChart = throttledRender(accBox, () =>
    lineChart(
      [{ name: `test accuracy (${testSize.value} digits)`, points: accuracy, color: palette.green }],
      {
        x: 'images seen',
        y: 'accuracy',
        width: 420,
        height: 220,
        yDomain: [0, 1],
      },
    ),
  );

  root.append(
    pageHeader(
      7,
      'CNN on digits',
      'A small convolutional network (two blocks of convolution, ReLU and max pooling, then one linear layer) learns the MNIST digits right here in the page. Then draw a digit and watch what the first layer sees.',
    ),
    h('p', { class: 'note', text: dataNote, attrs: { 'data-testid': 'data-note' } }),
    slow ? h('p', { class: 'note slow-note', text: slowNote, attrs: { 'data-testid': 'slow-note' } }) : '',
    h('div', { class: 'toolbar' }, size.el, testSize.el, epochs.el, lr.el),
    controls.el,
    h('div', { class: 'readouts' }, epochOut.el, seenOut.el, lossOut.el, accOut.el, ...clockOut.els),
    summary,
    h(
      'div',
      { class: 'grid-2' },
      panel('Training loss', lossBox),
      panel('Accuracy on held-out digits', accBox),
    ),
    h(
      'div',
      { class: 'grid-2' },
      panel(
        'Draw a digit',
        pad.canvas,
        h(
          'div',
          { class: 'toolbar' },
          button('Clear', () => {
            pad.clear();
            void inspect().catch((error) => showError(error, 'reading the digit'));
          }),
          button('Use a test digit', () => void pickTestDigit(), { testId: 'test-digit' }),
        ),
        h('p', { class: 'note', text: 'The network sees it as 28×28 pixels:' }),
        inputBox,
      ),
      panel('Class probabilities', probBox),
    ),
    panel(
      'What the first layer sees',
      h('h3', { text: 'Its 3×3 filters (light = positive weight, dark = negative)' }),
      filterBox,
      h('h3', {
        text: 'Feature maps of your digit: each filter slid over the image (after ReLU), then max pooled',
      }),
      mapsBox,
    ),
    ...explainer.panels,
  );

  async function ensureData(): Promise<{ train: DigitSet; test: DigitSet }> {
    const key = `${controls.seed}:${size.value}:${testSize.value}`;
    if (data && dataKey === key) return data;
    seenOut.set('loading digits…');
    data = await loadDigitSplit({
      seed: controls.seed,
      trainLimit: Number(size.value),
      testLimit: Number(testSize.value),
    });
    dataKey = key;
    return data;
  }

  function disposeModel(): void {
    schedule = null;
    optimizer?.dispose();
    model?.dispose();
    optimizer = null;
    model = null;
    learner = null;
  }

  function buildModel(): void {
    disposeModel();
    ({ model, optimizer, learner } = digitsLearner(controls.seed, lr.value));
  }

  async function reset(): Promise<void> {
    buildModel();
    seen = 0;
    losses = [];
    accuracy = [];
    for (const r of [epochOut, seenOut, lossOut, accOut]) r.set('–');
    clockOut.clear();
    summary.textContent = '';
    lossChart.flush();
    accChart.flush();
    await showFilters();
    await inspect();
  }

  async function evaluate(test: DigitSet): Promise<void> {
    if (!learner) return;
    // Asynchronous reads throughout: WebGPU cannot read back synchronously.
    const result = await learner.evaluateAsync(test);
    accuracy.push({ x: seen, y: result.accuracy });
    accOut.set(result.accuracy);
    accChart.request();
  }

  const trainer = page.trainer(
    {
      doing: 'training',
      resetting: 'building the network',
      reset,
      prepare: async () => {
        if (!learner || seen > 0) await reset();
      },
      train: async (self) => {
        const { train, test } = await ensureData();
        if (!learner || self.aborted) return;
        await evaluate(test);
        const n = epochs.value;
        if (optimizer) schedule = oneCycle(optimizer, lr.value, n, train.X.rows);
        // Evaluating 2,000 digits costs as much as training a few hundred: at most once a second.
        // On a slow backend an evaluation can take seconds: then it may use a fifth of the time.
        let lastCheck = performance.now();
        let checkMs = 0;
        clock.start();
        await learner.fit(train, {
          epochs: n,
          batchSize,
          seed: controls.seed,
          signal: self.signal,
          callbacks: [
            {
              onBatchEnd: async (logs) => {
                clock.tick(logs.size);
                schedule?.step();
                seen += logs.size;
                losses.push({ x: seen, y: logs.loss });
                epochOut.set(logs.epoch);
                seenOut.set(seen);
                lossOut.set(logs.loss);
                clockOut.show();
                lossChart.request();
                if (performance.now() - lastCheck > Math.max(1000, 4 * checkMs)) {
                  const t0 = performance.now();
                  await evaluate(test);
                  await showFilters();
                  lastCheck = performance.now();
                  checkMs = lastCheck - t0;
                }
                // A frame every ~30 ms, not every batch: a forced frame per batch of 32 would cap
                // training at about 2,000 images/s.
                const pauses = self.pauses;
                await self.checkpoint();
                if (self.pauses !== pauses) clock.resume();
              },
            },
          ],
        });
        if (self.aborted) return;
        clockOut.show();
        await evaluate(test);
        const last = accuracy[accuracy.length - 1]?.y ?? 0;
        summary.textContent = `Trained on ${seen.toLocaleString('en-US')} images in ${clock.seconds.toFixed(1)} s (${Math.round(clock.imagesPerSecond).toLocaleString('en-US')} images/s): ${(last * 100).toFixed(1)} % of ${test.X.rows.toLocaleString('en-US')} held-out digits right.`;
        await showFilters();
        lossChart.flush();
        accChart.flush();
        if (!pad.hasInk) await pickTestDigit();
        else await inspect();
      },
    },
    controls,
  );

  async function showFilters(): Promise<void> {
    if (!model) return;
    const kernels = await track(filtersAsync(model.at(0) as Conv2d));
    filterBox.replaceChildren(
      thumbs(
        kernels.map((k, i) => ({ image: k[0], caption: `filter ${i + 1}` })),
        12,
      ),
    );
  }

  async function pickTestDigit(): Promise<void> {
    try {
      const { test } = await ensureData();
      const i = testDigitIndex(controls.seed, pickCount++, test.X.rows);
      pad.clear();
      explainer.offset = [0, 0];
      pad.show(test.X.data.subarray(i * 784, (i + 1) * 784));
      await inspect();
    } catch (error) {
      showError(error, 'loading a test digit');
    }
  }

  /** The drawn digit through the model: class probabilities and the first block's feature maps. */
  function inspect(): Promise<void> {
    return track(inspectNow(++inspection));
  }

  async function inspectNow(id: number): Promise<void> {
    if (!model || !learner) return;
    const current = model;
    const pixels = explainer.shifted(pad.pixels());
    inputBox.replaceChildren(thumbs([{ image: toRows(pixels, 28, 28), caption: 'input' }], 3));
    if (!pad.hasInk) {
      probBox.replaceChildren(
        h('p', { class: 'note', text: 'Draw a digit (or use a test digit) to see what the network thinks.' }),
      );
      mapsBox.replaceChildren();
      explainer.clear();
      return;
    }
    const out = await learner.predictAsync({ data: pixels, rows: 1, cols: 784 });
    if (id !== inspection || model !== current) return;
    const probs = Array.from(probabilities(out, 'classScores')[0]);
    const best = probs.indexOf(Math.max(...probs));
    probBox.replaceChildren(
      h(
        'p',
        {},
        'The network says ',
        h('strong', { text: String(best), attrs: { 'data-testid': 'prediction' } }),
        ` (${(probs[best] * 100).toFixed(1)}%).`,
      ),
      doubtNote(pixels, probs),
      Plot.plot({
        ariaLabel: 'Class probabilities for the drawn digit, digits 0 to 9',
        ariaDescription: `The network says ${best} with probability ${(probs[best] * 100).toFixed(1)} %`,
        width: 420,
        height: 260,
        style: { background: 'transparent', fontSize: '12px' },
        x: { label: 'digit', domain: probs.map((_, i) => String(i)) },
        y: { label: 'probability', domain: [0, 1], grid: true },
        marks: [
          Plot.barY(
            probs.map((p, i) => ({ digit: String(i), p, best: i === best })),
            {
              x: 'digit',
              y: 'p',
              fill: (d: { best: boolean }) => (d.best ? palette.vermillion : palette.blue),
            },
          ),
          Plot.ruleY([0]),
        ],
      }),
    );
    const x = tf.tensor4d(pixels, [1, 1, 28, 28]);
    const maps = featureMaps(current, x);
    x.dispose();
    try {
      // Layers 0-2 are the first block: Conv2d, ReLU, MaxPool2d.
      const [relu, pooled] = await Promise.all([
        featureMapImagesAsync(maps[1]),
        featureMapImagesAsync(maps[2]),
      ]);
      if (id !== inspection) return;
      mapsBox.replaceChildren(
        thumbs(
          relu.map((image, i) => ({ image, caption: `map ${i + 1}` })),
          3,
        ),
        thumbs(
          pooled.map((image, i) => ({ image, caption: `pooled ${i + 1}` })),
          6,
        ),
      );
    } finally {
      disposeFeatureMaps(maps);
    }
    await explainer.show(current, pixels, predictRows, () => id === inspection && model === current);
  }

  async function predictRows(images: Float32Array, rows: number): Promise<number[][]> {
    if (!learner) return [];
    const out = await learner.predictAsync({ data: images, rows, cols: 784 });
    return probabilities(out, 'classScores').map((row) => Array.from(row));
  }

  page.onLeave(async () => {
    explainer.stop();
    await Promise.allSettled([...pending]);
    lossChart.cancel();
    accChart.cancel();
    disposeModel();
  });
  void trainer.reset();
}

import type { Sequential } from '@descent/layers';
import { fineTune, type Learner } from '@descent/train';
import { slowBackend } from '../backend';
import { type DigitSet, loadDigitSplit } from '../lib/digits';
import { lineChart, palette, throttledRender } from '../ui/charts';
import { numberField, readout, selectField } from '../ui/controls';
import { h } from '../ui/dom';
import { runControls } from '../ui/run-controls';
import { clockReadouts, TrainingClock } from '../ui/training-clock';
import { type PageContext, pageHeader } from './page';
import { loadBackbone } from './transfer-backbone';
import {
  disposeContender,
  newDigits as NEW_DIGITS,
  transferContenders,
  transferSummary,
} from './transfer-recipe';

interface Contender {
  name: string;
  color: string;
  dash: string;
  model: Sequential;
  learner: Learner;
  accuracy: { x: number; y: number }[];
}

export function mount({ root, page }: PageContext) {
  let contenders: Contender[] = [];
  // On a software GPU or the CPU backend the full demo takes minutes: a smaller one still shows
  // the backbone ahead (WASM runs the full one in a few seconds).
  const slow = slowBackend();
  const clock = new TrainingClock();
  const clockOut = clockReadouts(clock);
  const summary = h('p', { class: 'summary', attrs: { 'data-testid': 'summary', 'aria-live': 'polite' } });

  const perClass = selectField({
    label: 'Labelled examples per digit',
    value: slow ? '5' : '10',
    testId: 'per-class',
    options: ['5', '10', '20', '50'].map((v) => ({ value: v, label: v })),
  });
  // Fewer held-out digits evaluate faster: both networks run over all of them after every epoch.
  const testSize = selectField({
    label: 'Held-out digits',
    value: slow ? '100' : '500',
    testId: 'test-size',
    options: ['100', '500'].map((v) => ({ value: v, label: v })),
  });
  const epochs = numberField({ label: 'Epochs', value: slow ? 3 : 15, min: 1, max: 200, testId: 'epochs' });
  const controls = runControls();
  const backboneInfo = h('p', { class: 'note', attrs: { 'data-testid': 'backbone-info' } });
  const outs = [
    readout('accuracy · fine-tuned backbone', 'acc-transfer'),
    readout('accuracy · from scratch', 'acc-scratch'),
  ];
  const chartBox = h('div');
  const chartTitle = h('h2', { text: 'Accuracy on 500 held-out digits 5–9' });
  const chart = throttledRender(chartBox, () =>
    lineChart(
      contenders.map((c) => ({ name: c.name, color: c.color, dash: c.dash, points: c.accuracy })),
      { x: 'epoch', y: 'accuracy on unseen 5–9 digits', width: 760, height: 300, yDomain: [0, 1] },
    ),
  );

  root.append(
    pageHeader(
      8,
      'Transfer learning',
      'A network that learned to read digits 0–4 already knows strokes, loops and corners. Give it a new head, freeze the rest, and it learns digits 5–9 from a handful of labelled examples. Beside it, the same kind of network starts from scratch on the same few examples.',
    ),
    h('div', { class: 'toolbar' }, perClass.el, testSize.el, epochs.el),
    controls.el,
    backboneInfo,
    h(
      'div',
      { class: 'readouts' },
      outs.map((o) => o.el),
      clockOut.els,
    ),
    summary,
    h(
      'section',
      { class: 'panel', attrs: { 'aria-label': 'Accuracy on held-out digits' } },
      chartTitle,
      chartBox,
    ),
  );

  function disposeAll(): void {
    for (const c of contenders) disposeContender(c);
    contenders = [];
  }

  function reset(): void {
    disposeAll();
    for (const o of outs) o.set('–');
    clockOut.clear();
    summary.textContent = '';
    chart.flush();
  }

  async function evaluate(
    c: Contender,
    test: DigitSet,
    epoch: number,
    out: (typeof outs)[number],
  ): Promise<void> {
    // An asynchronous read: WebGPU cannot read back synchronously.
    const { accuracy } = await c.learner.evaluateAsync(test);
    c.accuracy.push({ x: epoch, y: accuracy });
    out.set(accuracy);
    chart.request();
  }

  let seed = controls.seed;
  const trainer = page.trainer(
    {
      doing: 'transfer learning',
      reset,
      prepare: () => {
        reset();
        seed = controls.seed;
      },
      train: async (self) => {
        backboneInfo.textContent = 'Loading the digits and the backbone…';
        chartTitle.textContent = `Accuracy on ${testSize.value} held-out digits 5–9`;
        const few = await loadDigitSplit({
          seed,
          digits: NEW_DIGITS,
          perClass: Number(perClass.value),
          testLimit: Number(testSize.value),
        });
        const backbone = await loadBackbone({
          seed,
          run: self,
          report: (text) => (backboneInfo.textContent = text),
        });
        if (self.aborted) {
          backbone.model.dispose();
          return;
        }
        // The backbone's 0-4 head goes; a fresh 5-way head takes its features.
        const built = transferContenders(backbone, seed);
        contenders = [
          {
            name: 'fine-tuned backbone (frozen body)',
            color: palette.blue,
            dash: '',
            ...built.tuned,
            accuracy: [],
          },
          { name: 'from scratch', color: palette.vermillion, dash: '6,3', ...built.fresh, accuracy: [] },
        ];
        const [tuned, fresh] = contenders;
        await Promise.all([evaluate(tuned, few.test, 0, outs[0]), evaluate(fresh, few.test, 0, outs[1])]);
        const options = (c: Contender, out: (typeof outs)[number]) => ({
          batchSize: 10,
          seed,
          signal: self.signal,
          callbacks: [
            {
              onBatchEnd: async (logs: { size: number }) => {
                clock.tick(logs.size);
                clockOut.show();
                const pauses = self.pauses;
                await self.checkpoint(true);
                if (self.pauses !== pauses) clock.resume();
              },
              onEpochEnd: async (logs: { epoch: number }) => evaluate(c, few.test, logs.epoch, out),
            },
          ],
        });
        clock.start();
        await Promise.all([
          // fineTune freezes everything but the head and trains it with Adam.
          fineTune(tuned.learner, few.train, { ...options(tuned, outs[0]), epochs: epochs.value, lr: 1e-3 }),
          fresh.learner.fit(few.train, { ...options(fresh, outs[1]), epochs: epochs.value }),
        ]);
        chart.flush();
        if (self.aborted) return;
        clockOut.show();
        const [a, b] = contenders.map((c) => c.accuracy[c.accuracy.length - 1]?.y ?? 0);
        summary.textContent = transferSummary(a, b, perClass.value, clock.seconds);
      },
    },
    controls,
  );
  page.onLeave(() => {
    chart.cancel();
    disposeAll();
  });
  void trainer.reset();
}

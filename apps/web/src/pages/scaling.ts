import { type ScaleName, TrainingDivergedError } from '@descent/train';
import * as Plot from '@observablehq/plot';
import type { TabularOptimizerName } from '../lib/tabular-task';
import { legend, lineChart, palette, throttledRender } from '../ui/charts';
import { numberField, readout, selectField, slider } from '../ui/controls';
import { h } from '../ui/dom';
import { runControls } from '../ui/run-controls';
import { type PageContext, pageHeader, panel } from './page';
import {
  scalingFeatures as features,
  penguinRows,
  type ScalingTrial,
  scaledLossDomain,
  scaledViews,
  scalingTrials,
} from './scaling-recipe';

interface Variant {
  scale: ScaleName;
  label: string;
  color: string;
  dash: string;
}

const variants: Variant[] = [
  { scale: 'none', label: 'raw (no scaling)', color: palette.vermillion, dash: '' },
  { scale: 'standard', label: 'StandardScaler', color: palette.blue, dash: '6,3' },
  { scale: 'minmax', label: 'MinMaxScaler', color: palette.green, dash: '2,2' },
];

interface Trial extends ScalingTrial {
  variant: Variant;
}

export function mount({ root, page }: PageContext) {
  const { table: data, rows, sexOf } = penguinRows();
  let trials: Trial[] = [];

  const optimizer = selectField<TabularOptimizerName>({
    label: 'Optimizer',
    value: 'momentum',
    options: [
      { value: 'momentum', label: 'SGD + momentum' },
      { value: 'adam', label: 'Adam' },
      { value: 'rmsprop', label: 'RMSprop' },
    ],
  });
  const lr = slider({ label: 'Learning rate', value: 0.01, min: 1e-4, max: 1, scale: 'log', testId: 'lr' });
  const epochs = numberField({ label: 'Epochs', value: 40, min: 1, max: 2000, testId: 'epochs' });
  const controls = runControls();
  const outs = variants.map((v) => readout(`loss · ${v.label}`, `loss-${v.scale}`));
  const lossBox = h('div');
  const lossChart = throttledRender(lossBox, () =>
    lineChart(
      trials.map((t) => ({
        name: `${t.variant.label}${t.status ? ` (${t.status})` : ''}`,
        color: t.variant.color,
        dash: t.variant.dash,
        points: t.history.map((l) => ({ x: l.epoch, y: l.loss })),
      })),
      {
        x: 'epoch',
        y: 'training loss (BCE)',
        logY: true,
        width: 760,
        height: 300,
        yDomain: scaledLossDomain(
          trials.filter((t) => t.variant.scale !== 'none').map((t) => t.history.map((l) => l.loss)),
        ),
      },
    ),
  );

  const { standard, minmax } = scaledViews(rows);
  const views = [
    {
      title: 'Raw measurements',
      values: rows,
      note: 'Body mass (grams) runs into thousands; bill depth stays near 17. A weight on body mass moves the output a thousand times harder.',
    },
    {
      title: 'StandardScaler',
      values: standard,
      note: 'Each column minus its mean, divided by its standard deviation: centred on 0, spread about ±2.',
    },
    {
      title: 'MinMaxScaler',
      values: minmax,
      note: 'Each column mapped onto [0, 1]: smallest value 0, largest 1.',
    },
  ];

  root.append(
    pageHeader(
      4,
      'Data scaling',
      'The same penguins, measured in millimetres and grams. Gradient descent takes one learning rate for every weight, so inputs on very different scales make some weights race and others crawl. Scaling puts every input on the same footing.',
    ),
    h(
      'div',
      { class: 'grid' },
      views.map((v) =>
        panel(v.title, strips(v.values), scatter(v.values), h('p', { class: 'note', text: v.note })),
      ),
    ),
    panel(
      'The same network, trained with and without scaling',
      h('p', {
        class: 'note',
        text: 'Four measurements → 8 ReLU → 1 logit, the same seed (the same first weights) for all three, predicting sex. Scalers are fitted on the training rows only.',
      }),
      h('div', { class: 'toolbar' }, optimizer.el, lr.el, epochs.el),
      controls.el,
      h(
        'div',
        { class: 'readouts' },
        outs.map((o) => o.el),
      ),
      lossBox,
    ),
  );

  /** One row per feature: every bird a dot, so the ranges compare at a glance. */
  function strips(values: number[][]): Element {
    const dots = values.flatMap((row) => row.map((v, j) => ({ feature: features[j], v })));
    return Plot.plot({
      ariaLabel: 'Every bird’s measurements as dots, one row per feature',
      ariaDescription: `Features: ${features.join(', ')}`,
      width: 380,
      height: 190,
      marginLeft: 120,
      style: { background: 'transparent', fontSize: '11px' },
      x: { label: 'value', grid: true, tickFormat: '~s' },
      y: { label: null, domain: features },
      marks: [Plot.dot(dots, { x: 'v', y: 'feature', r: 2, fill: palette.blue, fillOpacity: 0.25 })],
    });
  }

  function scatter(values: number[][]): HTMLElement {
    const points = values.map((row, i) => ({ x: row[2], y: row[3], sex: sexOf(i) }));
    const chart = Plot.plot({
      ariaLabel: 'Body mass against flipper length, one mark per bird, by sex',
      width: 380,
      height: 240,
      style: { background: 'transparent', fontSize: '11px' },
      x: { label: 'flipper length', tickFormat: '~s' },
      y: { label: 'body mass', tickFormat: '~s' },
      symbol: { domain: ['FEMALE', 'MALE'], range: ['circle', 'triangle'] },
      color: { domain: ['FEMALE', 'MALE'], range: [palette.orange, palette.blue] },
      marks: [Plot.dot(points, { x: 'x', y: 'y', stroke: 'sex', symbol: 'sex', r: 3 })],
    });
    return h(
      'figure',
      { class: 'chart' },
      legend([
        { name: 'female', color: palette.orange, symbol: 'dot' },
        { name: 'male', color: palette.blue, symbol: 'triangle' },
      ]),
      chart,
    );
  }

  function disposeTrials(): void {
    for (const t of trials) t.model.dispose();
    trials = [];
  }

  function reset(): void {
    disposeTrials();
    for (const o of outs) o.set('–');
    lossChart.flush();
  }

  let seed = controls.seed;
  const trainer = page.trainer(
    {
      doing: 'training',
      reset,
      prepare: () => {
        reset();
        seed = controls.seed;
        const built = scalingTrials(
          data,
          variants.map((v) => v.scale),
          { seed, optimizer: optimizer.value, lr: lr.value },
        );
        trials = built.map((trial, i) => ({ ...trial, variant: variants[i] }));
      },
      train: async (self) => {
        // The three trainings take turns at each batch, so the curves grow side by side.
        await Promise.all(
          trials.map(async (trial, i) => {
            const t = trial;
            try {
              await trial.model.learner.fit(t.task.train, {
                epochs: epochs.value,
                batchSize: 32,
                seed,
                signal: self.signal,
                callbacks: [
                  {
                    onBatchEnd: async () => {
                      await self.checkpoint(true);
                    },
                    onEpochEnd: (logs) => {
                      trial.history.push({ ...logs });
                      outs[i].set(logs.loss);
                      lossChart.request();
                    },
                  },
                ],
              });
              const test = await trial.model.learner.evaluateAsync(t.task.test);
              trial.status = `test accuracy ${(test.accuracy * 100).toFixed(0)}%`;
            } catch (error) {
              if (!(error instanceof TrainingDivergedError)) throw error;
              trial.status = `diverged at epoch ${error.epoch}`;
              outs[i].set('diverged');
            }
            lossChart.request();
          }),
        );
        lossChart.flush();
      },
    },
    controls,
  );
  page.onLeave(() => {
    lossChart.cancel();
    disposeTrials();
  });
  void trainer.reset();
}

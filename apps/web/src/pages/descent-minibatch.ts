import type { Sequential } from '@descent/layers';
import type { LRScheduler, Optimizer } from '@descent/optim';
import { Learner, TrainingDivergedError } from '@descent/train';
import type { TabularTask } from '../lib/tabular-task';
import { lineChart, throttledRender } from '../ui/charts';
import { numberField, readout, selectField, slider } from '../ui/controls';
import { h } from '../ui/dom';
import type { PageController } from '../ui/page-controller';
import type { Run } from '../ui/run';
import { runControls } from '../ui/run-controls';
import {
  minibatchDefaults,
  minibatchModel,
  minibatchTask,
  type Recipe,
  rateCallback,
  recipes,
  type ScheduleName,
  scheduleLabels,
} from './minibatch-recipes';
import { resultsTable } from './minibatch-table';
import { panel } from './page';

interface Trial {
  recipe: Recipe;
  label: string;
  model: Sequential;
  optimizer: Optimizer;
  learner: Learner;
  schedule?: LRScheduler;
  /** Mean training loss per epoch. */
  losses: { x: number; y: number }[];
  /** The rate each mini-batch step used. */
  rates: number[];
  status: string;
}

/**
 * The course's "SGD: mini-batches, and a rate that goes from large to small", next to Adam: the
 * same penguin network trained three ways from the same first weights on the same batches.
 */
export function minibatchPanel(page: PageController): { el: HTMLElement } {
  let trials: Trial[] = [];

  const schedule = selectField<ScheduleName>({
    label: 'Schedule',
    value: minibatchDefaults.schedule,
    options: (Object.keys(scheduleLabels) as ScheduleName[]).map((value) => ({
      value,
      label: scheduleLabels[value],
    })),
    testId: 'mb-schedule',
  });
  const batchSize = numberField({
    label: 'Batch size',
    value: minibatchDefaults.batchSize,
    min: 1,
    max: 512,
    testId: 'mb-batch',
  });
  const sgdLr = slider({
    label: 'SGD base rate',
    value: minibatchDefaults.sgdLr,
    min: 1e-3,
    max: 3,
    scale: 'log',
    testId: 'mb-lr',
  });
  const adamLr = slider({
    label: 'Adam rate',
    value: minibatchDefaults.adamLr,
    min: 1e-4,
    max: 0.3,
    scale: 'log',
    testId: 'mb-adam-lr',
  });
  const epochs = numberField({
    label: 'Epochs',
    value: minibatchDefaults.epochs,
    min: 1,
    max: 500,
    testId: 'mb-epochs',
  });
  const controls = runControls();
  const epochOut = readout('Epoch', 'mb-epoch');
  const results = resultsTable(schedule.value);
  schedule.input.addEventListener('change', () => results.setSchedule(schedule.value));
  const outs = results.rows;

  const lossBox = h('div', { attrs: { 'data-testid': 'mb-loss-chart' } });
  const lossChart = throttledRender(lossBox, () =>
    lineChart(
      trials.map((t) => ({
        name: `${t.label}${t.status ? ` (${t.status})` : ''}`,
        color: t.recipe.color,
        dash: t.recipe.dash,
        points: t.losses,
      })),
      { x: 'epoch', y: 'training loss (BCE)', logY: true, width: 760, height: 280 },
    ),
  );
  const lrBox = h('div', { attrs: { 'data-testid': 'mb-lr-chart' } });
  const lrChart = throttledRender(lrBox, () =>
    lineChart(
      trials.map((t) => ({
        name: t.label,
        color: t.recipe.color,
        dash: t.recipe.dash,
        points: everyNth(t.rates, 500),
      })),
      { x: 'mini-batch step', y: 'learning rate', logY: true, width: 760, height: 200 },
    ),
  );

  const el = panel(
    'Mini-batch SGD with a learning-rate schedule, against Adam',
    h('p', {
      text: 'Each step looks at one small random batch of penguins, so its gradient is noisy. Watch the constant-rate SGD curve keep bouncing: the schedule lets SGD take big steps early and settle late, while Adam keeps one rate but adapts the step of each parameter from its own gradients.',
    }),
    h('p', {
      class: 'note',
      text: 'Four standardized measurements → 16 ReLU → 1 logit, predicting sex. All three start from the same weights (the seed) and see the same batches in the same order; only the optimizer and its rate differ. Accuracy is on the 20 % of penguins held out.',
    }),
    h('div', { class: 'toolbar' }, schedule.el, batchSize.el, sgdLr.el, adamLr.el, epochs.el),
    controls.el,
    h('div', { class: 'readouts' }, epochOut.el),
    results.el,
    lossBox,
    h('h3', { text: 'The learning rate at each step' }),
    lrBox,
  );
  el.dataset.testid = 'minibatch';

  function disposeTrials(): void {
    for (const t of trials) {
      t.optimizer.dispose();
      t.model.dispose();
    }
    trials = [];
  }

  function redraw(): void {
    lossChart.request();
    lrChart.request();
  }

  function reset(): void {
    disposeTrials();
    epochOut.set('–');
    results.clear();
    lossChart.flush();
    lrChart.flush();
  }

  function makeTrial(recipe: Recipe, task: TabularTask, seed: number, totalSteps: number): Trial {
    const model = minibatchModel(task, seed);
    const optimizer = recipe.optimizer(model.trainableParameters(), { sgd: sgdLr.value, adam: adamLr.value });
    const learner = new Learner(model, { loss: 'bceWithLogits', optimizer, metrics: ['accuracy'] });
    return {
      recipe,
      label: recipe.label(schedule.value),
      model,
      optimizer,
      learner,
      schedule: recipe.schedule?.(schedule.value, optimizer, totalSteps),
      losses: [],
      rates: [],
      status: '',
    };
  }

  async function train(
    trial: Trial,
    task: TabularTask,
    self: Run,
    seed: number,
    size: number,
  ): Promise<void> {
    const out = outs[recipes.indexOf(trial.recipe)];
    try {
      await trial.learner.fit(task.train, {
        epochs: Math.trunc(epochs.value),
        batchSize: size,
        seed,
        signal: self.signal,
        callbacks: [
          rateCallback(trial.optimizer, trial.schedule, trial.rates),
          {
            onBatchEnd: async () => {
              await self.checkpoint();
            },
            onEpochEnd: (logs) => {
              trial.losses.push({ x: logs.epoch, y: logs.loss });
              out.loss.set(logs.loss);
              out.lr.set(trial.rates[trial.rates.length - 1]);
              epochOut.set(Math.max(...trials.map((t) => t.losses.length)));
              redraw();
            },
          },
        ],
      });
      if (self.aborted) return;
      const test = await trial.learner.evaluateAsync(task.test);
      out.accuracy.set(test.accuracy);
      trial.status = `held out ${(test.accuracy * 100).toFixed(0)} %`;
    } catch (error) {
      if (!(error instanceof TrainingDivergedError)) throw error;
      trial.status = `diverged at epoch ${error.epoch}`;
      out.loss.set('diverged');
    }
    redraw();
  }

  let task: TabularTask | null = null;
  let seed = controls.seed;
  let size = 1;
  const trainer = page.trainer(
    {
      doing: 'mini-batch training',
      reset,
      prepare: () => {
        reset();
        seed = controls.seed;
        const t = minibatchTask(seed);
        size = Math.min(Math.trunc(batchSize.value), t.train.X.rows);
        const totalSteps = Math.trunc(epochs.value) * Math.ceil(t.train.X.rows / size);
        trials = recipes.map((recipe) => makeTrial(recipe, t, seed, totalSteps));
        task = t;
      },
      train: async (run) => {
        const t = task!;
        // The three take turns batch by batch, so their curves grow side by side.
        await Promise.all(trials.map((trial) => train(trial, t, run, seed, size)));
        lossChart.flush();
        lrChart.flush();
      },
    },
    controls,
  );
  page.onLeave(() => {
    lossChart.cancel();
    lrChart.cancel();
    disposeTrials();
  });
  void trainer.reset();

  return { el };
}

/** At most about `limit` points of a per-step series: the chart stays quick on long runs. */
function everyNth(values: number[], limit: number): { x: number; y: number }[] {
  const every = Math.max(1, Math.ceil(values.length / limit));
  const points: { x: number; y: number }[] = [];
  for (let i = 0; i < values.length; i += every) points.push({ x: i + 1, y: values[i] });
  const last = values.length - 1;
  if (last >= 0 && last % every !== 0) points.push({ x: last + 1, y: values[last] });
  return points;
}

import { columnNames, type Table } from '@descent/datasets';
import type { EpochLogs, ScaleName } from '@descent/train';
import { type ActivationName, activationNames, parseHidden } from '../lib/mlp';
import {
  makeTabularModel,
  prepareTabular,
  type TabularModel,
  type TabularOptimizerName,
  type TabularTask,
  tabularOptimizers,
} from '../lib/tabular-task';
import { lineChart, palette, throttledRender } from '../ui/charts';
import { numberField, readout, selectField, slider } from '../ui/controls';
import { h, nextId } from '../ui/dom';
import { showError } from '../ui/notices';
import { runControls } from '../ui/run-controls';
import { type PageContext, pageHeader, panel } from './page';
import { hasTwoNumericInputs, tabularBoundary } from './tabular-boundary';
import { confusionPlot, rocPlot } from './tabular-plots';
import { describeTask, readCsv, type Source, tabularSetup, testReport } from './tabular-recipe';

export function mount({ root, page }: PageContext) {
  let csvTable: Table | null = null;
  let task: TabularTask | null = null;
  let trained: TabularModel | null = null;
  let history: EpochLogs[] = [];

  const source = selectField<Source>({
    label: 'Data',
    value: 'penguins-sex',
    testId: 'source',
    options: [
      { value: 'penguins-sex', label: 'Penguins: predict sex (binary)' },
      { value: 'penguins-species', label: 'Penguins: predict species (3 classes)' },
      { value: 'csv', label: 'Your CSV file' },
    ],
    onChange: () => void changeData(),
  });
  const target = selectField<string>({
    label: 'Target column',
    value: '',
    options: [],
    onChange: () => void changeData(),
  });
  target.el.hidden = true;
  const fileId = nextId('csv');
  const file = h('input', {
    id: fileId,
    attrs: { type: 'file', accept: '.csv,text/csv', 'data-testid': 'csv-file' },
  });
  const drop = h(
    'div',
    { class: 'drop-zone' },
    h('label', { attrs: { for: fileId }, text: 'Load a CSV (or drop one here): ' }),
    file,
  );
  const dataInfo = h('p', { class: 'note', attrs: { 'data-testid': 'data-info' } });
  const hidden = h('input', { attrs: { type: 'text', value: '16, 8', 'data-testid': 'hidden' } });
  const hiddenField = h(
    'div',
    { class: 'field' },
    h('label', { text: 'Hidden layers', attrs: { for: 'hidden-layers' } }),
    hidden,
  );
  hidden.id = 'hidden-layers';
  const activation = selectField<ActivationName>({
    label: 'Activation',
    value: 'relu',
    options: activationNames.map((a) => ({ value: a, label: a })),
  });
  const optimizer = selectField<TabularOptimizerName>({
    label: 'Optimizer',
    value: 'adam',
    options: tabularOptimizers.map((o) => ({
      value: o,
      label: o === 'momentum' ? 'SGD + momentum' : o === 'adam' ? 'Adam' : 'RMSprop',
    })),
  });
  const lr = slider({ label: 'Learning rate', value: 0.01, min: 1e-4, max: 1, scale: 'log', testId: 'lr' });
  const epochs = numberField({ label: 'Epochs', value: 60, min: 1, max: 5000, testId: 'epochs' });
  const batch = numberField({ label: 'Batch size', value: 32, min: 1, max: 4096 });
  const scale = selectField<ScaleName>({
    label: 'Scaling',
    value: 'standard',
    options: [
      { value: 'standard', label: 'StandardScaler' },
      { value: 'minmax', label: 'MinMaxScaler' },
      { value: 'robust', label: 'RobustScaler' },
      { value: 'none', label: 'none' },
    ],
  });
  const controls = runControls();
  const epochOut = readout('Epoch', 'epoch');
  const lossOut = readout('Loss', 'loss');
  const valLossOut = readout('Test loss', 'val-loss');
  const accOut = readout('Accuracy', 'accuracy');
  const valAccOut = readout('Test accuracy', 'val-accuracy');
  const lossBox = h('div');
  const accBox = h('div');
  const confusionBox = h('div', { attrs: { 'data-testid': 'confusion' } });
  const rocBox = h('div', { attrs: { 'data-testid': 'roc' } });
  const boundary = tabularBoundary();
  const boundaryPanel = panel(
    'Decision boundary (two numeric inputs)',
    boundary.el,
    boundary.legend,
    boundary.summary,
  );
  boundaryPanel.hidden = true;

  const series = (key: string) => history.map((l) => ({ x: l.epoch, y: l[key] }));
  const lossChart = throttledRender(lossBox, () =>
    lineChart(
      [
        { name: 'train', points: series('loss'), color: palette.blue },
        { name: 'test', points: series('valLoss'), color: palette.vermillion },
      ],
      { x: 'epoch', y: 'loss', width: 420, height: 230 },
    ),
  );
  const accChart = throttledRender(accBox, () =>
    lineChart(
      [
        { name: 'train', points: series('accuracy'), color: palette.blue },
        { name: 'test', points: series('valAccuracy'), color: palette.vermillion },
      ],
      { x: 'epoch', y: 'accuracy', width: 420, height: 230, yDomain: [0, 1] },
    ),
  );

  root.append(
    pageHeader(
      5,
      'Tabular classification',
      'A table in, a class out: the rows are split into training and test rows, the columns one-hot encoded and scaled (fitted on the training rows only), and a small network learns. Read its mistakes in the confusion matrix and its trade-offs in the ROC curve.',
    ),
    h('div', { class: 'toolbar' }, source.el, target.el, drop, dataInfo),
    h(
      'div',
      { class: 'toolbar' },
      hiddenField,
      activation.el,
      optimizer.el,
      lr.el,
      epochs.el,
      batch.el,
      scale.el,
    ),
    controls.el,
    h('div', { class: 'readouts' }, epochOut.el, lossOut.el, valLossOut.el, accOut.el, valAccOut.el),
    h(
      'div',
      { class: 'grid-2' },
      panel('Loss', lossBox),
      panel('Accuracy', accBox),
      panel('Confusion matrix (test rows)', confusionBox),
      panel('ROC curve (test rows)', rocBox),
      boundaryPanel,
    ),
  );

  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f) void loadFile(f);
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files?.[0];
    if (f) void loadFile(f);
  });

  async function loadFile(f: File): Promise<void> {
    try {
      const table = readCsv(await f.text(), f.name);
      csvTable = table;
      const names = columnNames(table);
      target.input.replaceChildren(...names.map((n) => h('option', { text: n, attrs: { value: n } })));
      target.value = names[names.length - 1];
      source.value = 'csv';
      await changeData();
    } catch (error) {
      csvTable = null;
      dataInfo.textContent = 'The file could not be read.';
      showError(error, 'CSV', { expected: true });
    }
  }

  function setup() {
    target.el.hidden = source.value !== 'csv';
    return tabularSetup(source.value, { table: csvTable, target: target.value });
  }

  async function changeData(): Promise<void> {
    await trainer.reset();
  }

  function reset(): void {
    trained?.dispose();
    trained = null;
    task = null;
    history = [];
    for (const r of [epochOut, lossOut, valLossOut, accOut, valAccOut]) r.set('–');
    lossChart.flush();
    accChart.flush();
    confusionBox.replaceChildren(h('p', { class: 'note', text: 'Train the model to fill this in.' }));
    rocBox.replaceChildren(h('p', { class: 'note', text: 'Train the model to fill this in.' }));
    boundaryPanel.hidden = true;
    const s = setup();
    if (!s) {
      dataInfo.textContent = 'Choose a CSV file: one row per example, one column to predict.';
      return;
    }
    try {
      task = prepareTabular(s, { seed: controls.seed, scale: scale.value });
      dataInfo.textContent = describeTask(s, task);
      boundaryPanel.hidden = !hasTwoNumericInputs(s, task);
      if (!boundaryPanel.hidden) void boundary.draw(task, null, 0);
    } catch (error) {
      dataInfo.textContent = 'This table cannot be used as it is.';
      showError(error, 'data', { expected: true });
    }
  }

  /** After each epoch: the test rows' confusion matrix and (for two classes) the ROC curve. */
  async function evaluateTest(): Promise<void> {
    if (!task || !trained) return;
    const t = task;
    const learner = trained.learner;
    const report = await testReport(learner, t);
    if (task !== t || trained?.learner !== learner) return;
    confusionBox.replaceChildren(confusionPlot(report.confusion, t.classes));
    if (report.roc) {
      rocBox.replaceChildren(rocPlot(report.roc, report.auc, t.classes[1]));
    } else {
      rocBox.replaceChildren(
        h('p', {
          class: 'note',
          text: 'A ROC curve needs two classes; this target has more. The confusion matrix shows every class.',
        }),
      );
    }
  }

  const trainer = page.trainer(
    {
      doing: 'training',
      reset,
      prepare: () => {
        if (!task || history.length >= epochs.value) reset();
        if (!task) {
          showError('there is no data to train on yet', 'training', { expected: true });
          return false;
        }
        let sizes: number[];
        try {
          sizes = parseHidden(hidden.value);
        } catch (error) {
          showError(error, 'model', { expected: true });
          return false;
        }
        trained?.dispose();
        trained = makeTabularModel(task, {
          hidden: sizes,
          activation: activation.value,
          optimizer: optimizer.value,
          lr: lr.value,
          seed: controls.seed,
        });
        history = [];
      },
      train: async (run) => {
        const t = task!;
        const m = trained!;
        await m.learner.fit(t.train, {
          epochs: epochs.value,
          batchSize: batch.value,
          seed: controls.seed,
          validation: t.test,
          signal: run.signal,
          callbacks: [
            {
              onBatchEnd: async () => {
                await run.checkpoint();
              },
            },
            {
              onEpochEnd: async (logs) => {
                history.push({ ...logs });
                epochOut.set(logs.epoch);
                lossOut.set(logs.loss);
                valLossOut.set(logs.valLoss);
                accOut.set(logs.accuracy);
                valAccOut.set(logs.valAccuracy);
                lossChart.request();
                accChart.request();
                if (logs.epoch % 5 === 0 || logs.epoch === epochs.value) await evaluateTest();
                if (!boundaryPanel.hidden) await boundary.draw(t, m.model, logs.epoch);
                await run.checkpoint();
              },
            },
          ],
        });
        await evaluateTest();
        lossChart.flush();
        accChart.flush();
      },
    },
    controls,
  );
  page.onLeave(() => {
    lossChart.cancel();
    accChart.cancel();
    trained?.dispose();
  });
  void trainer.reset();
}

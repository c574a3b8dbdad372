import type { Dataset } from '@descent/datasets';
import { type ActivationName, activationNames as activations, mlp } from '@descent/layers';
import { initBackend } from '@descent/tensor';
import { type EpochLogs, Learner, scaleNames } from '@descent/train';
import { saveBundle } from '@descent/train/node';
import { Command } from 'commander';
import { buildOptimizer, type OptimizerName, optimizerNames } from '../build-optimizer';
import { parseChoice, parseNumber, parseWidths } from '../parse';
import { plateauHint } from '../plateau-hint';
import { progressReporter } from '../progress';
import { formatTable } from '../table';
import { tabularDatasets } from '../tabular-data';
import { loadToyDataset, type ToyDatasetName, toyDatasets } from '../toy-data';
import { UsageError } from '../usage-error';
import { imageDatasets, imageTrainOptions, runTrainImages } from './train-images';
import { runTrainTabular } from './train-tabular';

const lossFlags = {
  mse: 'mse',
  mae: 'mae',
  huber: 'huber',
  bce: 'bce',
  'cross-entropy': 'crossEntropy',
} as const;
type LossFlag = keyof typeof lossFlags;

export interface TrainOptions {
  dataset: ToyDatasetName;
  hidden: number[];
  activation: ActivationName;
  loss: LossFlag;
  optimizer: OptimizerName;
  lr: number;
  epochs: number;
  batchSize: number;
  seed: number;
  out?: string;
  quiet: boolean;
}

function defaultLoss(task: Dataset['task']): LossFlag {
  return task === 'regression' ? 'mse' : task === 'binary' ? 'bce' : 'cross-entropy';
}

function checkLoss(loss: LossFlag, data: Dataset, name: string): void {
  const classes = data.classes?.length ?? 0;
  if (loss === 'bce' && data.task !== 'binary' && name !== 'dosage') {
    throw new UsageError(
      `--loss bce: needs a binary target, but ${name} has ${classes} classes; use cross-entropy`,
    );
  }
  if (loss === 'cross-entropy' && data.task === 'regression') {
    throw new UsageError(
      `--loss cross-entropy: needs class labels, but ${name} is a regression task; use mse`,
    );
  }
}

export async function runTrain(
  o: TrainOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<EpochLogs[]> {
  const backend = await initBackend();
  const { train, test } = loadToyDataset(o.dataset, o.seed);
  checkLoss(o.loss, train, o.dataset);
  const lossName = lossFlags[o.loss];
  const classes = train.classes?.length ?? 0;
  const outputs = lossName === 'crossEntropy' ? classes : 1;
  const model = mlp({
    inputs: train.X.cols,
    hidden: o.hidden,
    outputs,
    activation: o.activation,
    sigmoidOutput: lossName === 'bce',
    seed: o.seed,
  });
  const optimizer = buildOptimizer(o.optimizer, model.trainableParameters(), o.lr);
  const classification = lossName === 'bce' || lossName === 'crossEntropy';
  const learner = new Learner(model, {
    loss: lossName,
    optimizer,
    metrics: classification ? ['accuracy'] : ['mse'],
  });
  const trainData = { X: train.X, y: train.y };
  const progress = progressReporter();
  const started = performance.now();
  let result: Awaited<ReturnType<Learner['fit']>>;
  try {
    result = await learner.fit(trainData, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      seed: o.seed,
      onProgress: o.quiet ? undefined : (p) => progress.update(p),
    });
  } finally {
    progress.stop();
    optimizer.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  const last = result.history[result.history.length - 1];
  const testMetrics = test ? learner.evaluate({ X: test.X, y: test.y }) : undefined;

  const w = (line = '') => out.write(`${line}\n`);
  w();
  w(
    `dataset    ${o.dataset}: ${train.X.rows} training rows${test ? `, ${test.X.rows} held out` : ''}, ${train.X.cols} feature(s) → ${train.targetName} (${train.task})`,
  );
  w(
    `model      ${describeModel(o, train.X.cols, outputs, lossName === 'bce')}, ${model.numParameters()} parameters`,
  );
  w(
    `training   ${o.optimizer} lr ${o.lr}, loss ${o.loss}, batch ${Math.min(o.batchSize, train.X.rows)}, ${result.history.length} epochs, seed ${o.seed}, backend ${backend.name}`,
  );
  w(
    `time       ${seconds.toFixed(2)} s, ${Math.round((train.X.rows * result.history.length) / seconds).toLocaleString('en-US')} samples/s`,
  );
  w(
    `final      loss ${last.loss.toPrecision(4)}${classification ? `, train accuracy ${(last.accuracy * 100).toFixed(1)}%` : `, mse ${last.mse.toPrecision(4)}`}`,
  );
  if (!classification) {
    const hint = plateauHint({
      optimizer: o.optimizer,
      hidden: o.hidden,
      losses: result.history.map((h) => h.loss),
      y: train.y,
    });
    hint.forEach((line, i) => {
      w(`${i === 0 ? 'hint      ' : '          '} ${line}`);
    });
  }
  if (testMetrics) {
    w(
      `test       loss ${testMetrics.loss.toPrecision(4)}${classification ? `, accuracy ${(testMetrics.accuracy * 100).toFixed(1)}%` : `, mse ${testMetrics.mse.toPrecision(4)}`}`,
    );
  }
  if (o.dataset === 'dosage') {
    const predictions = learner.predict(train.X);
    const rows = Array.from({ length: train.X.rows }, (_, i) => [
      ['low', 'medium', 'high'][i] ?? String(i),
      train.X.data[i].toFixed(2),
      String(train.y[i]),
      predictions.data[i].toFixed(4),
    ]);
    w();
    w(formatTable(['patient', 'dosage', 'efficacy', 'predicted'], rows));
  }
  if (o.out) {
    await saveBundle(o.out, model, {
      loss: lossName,
      outputKind: learner.outputKind,
      featureNames: train.featureNames,
      targetName: train.targetName,
      labelNames: train.classes,
      metrics: { loss: last.loss, ...(testMetrics ? prefixed('test', testMetrics) : {}) },
      extra: { dataset: o.dataset, seed: o.seed, epochs: result.history.length },
    });
    w();
    w(`saved      ${o.out}/model.json, ${o.out}/model.safetensors`);
  }
  model.dispose();
  return result.history;
}

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [`${prefix}${k[0].toUpperCase()}${k.slice(1)}`, v]),
  );
}

function describeModel(o: TrainOptions, inputs: number, outputs: number, sigmoid: boolean): string {
  const widths = [inputs, ...o.hidden, outputs];
  return `${widths.join('-')} MLP (${o.activation}${sigmoid ? ', sigmoid output' : ''})`;
}

/** Defaults that suit each kind of data: the course's tiny network, or a table-sized one. */
const defaults = {
  toy: { hidden: '2', activation: 'softplus', optimizer: 'sgd', lr: '0.1', epochs: '2000' },
  table: { hidden: '32,16', activation: 'relu', optimizer: 'adam', lr: '0.01', epochs: '50' },
} as const;

export function trainCommand(): Command {
  const allData = [...toyDatasets, ...tabularDatasets];
  return new Command('train')
    .description('train a network on a built-in data set or a CSV file and save it as a bundle')
    .option('--dataset <name>', `one of ${[...allData, ...imageDatasets].join(', ')} (default: dosage)`)
    .option('--csv <file>', 'train on a CSV file instead (needs --target)')
    .option('--target <column>', 'the CSV column to predict')
    .option('--task <kind>', 'binary or multiclass (tables)', 'binary')
    .option('--scale <name>', `input scaling for tables: ${scaleNames.join(', ')}`, 'standard')
    .option('--missing <policy>', 'missing values in tables: drop, mean or error', 'error')
    .option('--categorical <columns>', 'CSV columns to read as text even if they look numeric')
    .option('--test-size <fraction>', 'held-out share of a table, stratified', '0.2')
    .option(
      '--hidden <widths>',
      'hidden layer widths, comma-separated (default: 2; tables 32,16; image CNNs: dense layers before the output)',
    )
    .option('--activation <name>', `one of ${activations.join(', ')} (default: softplus; tables relu)`)
    .option('--loss <name>', `one of ${Object.keys(lossFlags).join(', ')} (default: by task)`)
    .option('--optimizer <name>', `one of ${optimizerNames.join(', ')} (default: sgd; tables adam)`)
    .option(
      '--lr <number>',
      'learning rate (default: 0.1; tables 0.01; images: peak of one-cycle adam, cnn 0.01)',
    )
    .option('--epochs <n>', 'passes over the training set (default: 2000; tables 50; images: cnn 6, mlp 5)')
    .option('--batch-size <n>', 'rows per gradient step (default: 32)')
    .option('--images <dir>', 'train on a folder of class sub-folders of PNG/JPEG images (like ImageFolder)')
    .option('--size <h,w>', '--images: resize every image to height,width (default: their own size)')
    .option('--rgb', '--images: keep three colour channels (default: grey)')
    .option('--data-dir <dir>', 'mnist, fashion-mnist: a folder with the four IDX files (.gz or not)')
    .option('--model <kind>', 'images: cnn or mlp (default: cnn)')
    .option('--channels <widths>', "images: the CNN's channels per conv block (default: 8,16)")
    .option('--shift <pixels>', 'images: random shifts of up to this many pixels (default: cnn 1, mlp 0)')
    .option('--limit <n>', 'images: train on the first n training images only (quick runs)')
    .option('--workers <n>', 'images: threads to train on, data-parallel (default: 1)')
    .option('--seed <n>', 'seed for weights, splits and shuffles', '1')
    .option('--out <dir>', 'write the trained model bundle here')
    .option(
      '--report <file>',
      'images: write an HTML report (confusion matrix, worst-classified test images)',
    )
    .option('--quiet', 'no progress bar', false)
    .action(async (raw) => {
      if (raw.csv && raw.dataset)
        throw new UsageError('--csv and --dataset: expected one of them, found both');
      if (raw.csv && raw.images) throw new UsageError('--csv and --images: expected one of them, found both');
      if (imageDatasets.includes(raw.dataset) || raw.images !== undefined) {
        await runTrainImages(imageTrainOptions(raw));
        return;
      }
      for (const flag of [
        'model',
        'channels',
        'shift',
        'limit',
        'workers',
        'dataDir',
        'report',
        'size',
        'rgb',
      ] as const) {
        if (raw[flag] !== undefined)
          throw new UsageError(
            `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: only for image data sets (${imageDatasets.join(', ')})`,
          );
      }
      const tabular = raw.csv !== undefined || tabularDatasets.includes(raw.dataset);
      const d = tabular ? defaults.table : defaults.toy;
      const common = {
        hidden: parseWidths('--hidden', raw.hidden ?? d.hidden),
        activation: parseChoice('--activation', raw.activation ?? d.activation, activations),
        optimizer: parseChoice('--optimizer', raw.optimizer ?? d.optimizer, optimizerNames),
        lr: parseNumber('--lr', raw.lr ?? d.lr, { positive: true }),
        epochs: parseNumber('--epochs', raw.epochs ?? d.epochs, { integer: true, positive: true }),
        batchSize: parseNumber('--batch-size', raw.batchSize ?? '32', { integer: true, positive: true }),
        seed: parseNumber('--seed', raw.seed, { integer: true, min: 0 }),
        out: raw.out,
        quiet: raw.quiet,
      };
      if (tabular) {
        if (raw.loss !== undefined)
          throw new UsageError('--loss: tables use bce (binary) or cross-entropy (multiclass); leave it out');
        const testSize = parseNumber('--test-size', raw.testSize, { positive: true });
        if (testSize >= 1)
          throw new UsageError(`--test-size: expected a fraction between 0 and 1, found "${raw.testSize}"`);
        await runTrainTabular({
          ...common,
          csv: raw.csv,
          dataset: raw.csv ? undefined : parseChoice('--dataset', raw.dataset, tabularDatasets),
          target: raw.target,
          task: parseChoice('--task', raw.task, ['binary', 'multiclass'] as const),
          scale: parseChoice('--scale', raw.scale, scaleNames),
          missing: parseChoice('--missing', raw.missing, ['drop', 'mean', 'error'] as const),
          categorical: raw.categorical
            ? String(raw.categorical)
                .split(',')
                .map((c) => c.trim())
            : [],
          testSize,
        });
        return;
      }
      const dataset = parseChoice('--dataset', raw.dataset ?? 'dosage', [
        ...allData,
        ...imageDatasets,
      ]) as ToyDatasetName;
      const task = loadToyDataset(dataset, 0).train.task;
      await runTrain({
        ...common,
        dataset,
        loss:
          raw.loss === undefined
            ? defaultLoss(task)
            : parseChoice('--loss', raw.loss, Object.keys(lossFlags) as LossFlag[]),
      });
    });
}

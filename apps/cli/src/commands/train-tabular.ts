import { splitTable, type Table } from '@descent/datasets';
import { type ActivationName, mlp } from '@descent/layers';
import { initBackend } from '@descent/tensor';
import { type EpochLogs, Learner, type ScaleName, TabularPreprocessor } from '@descent/train';
import { saveBundle } from '@descent/train/node';
import { buildOptimizer, type OptimizerName } from '../build-optimizer';
import { classificationMetrics, formatClassificationReport } from '../classification-report';
import { progressReporter } from '../progress';
import { builtInTable, readUserCsv, type TabularDatasetName } from '../tabular-data';
import { UsageError } from '../usage-error';

export interface TabularTrainOptions {
  csv?: string;
  dataset?: TabularDatasetName;
  target?: string;
  task: 'binary' | 'multiclass';
  scale: ScaleName;
  missing: 'drop' | 'mean' | 'error';
  categorical: string[];
  hidden: number[];
  activation: ActivationName;
  optimizer: OptimizerName;
  lr: number;
  epochs: number;
  batchSize: number;
  seed: number;
  testSize: number;
  out?: string;
  quiet: boolean;
}

async function loadTable(
  o: TabularTrainOptions,
): Promise<{ table: Table; target: string; features?: string[] }> {
  if (o.csv) {
    if (!o.target)
      throw new UsageError('--target: expected the name of the column to predict (needed with --csv)');
    const table = await readUserCsv(o.csv, o.categorical);
    const names = table.columns.map((c) => `"${c.name}"`);
    if (!table.columns.some((c) => c.name === o.target)) {
      throw new UsageError(
        `--target: expected one of the columns of ${o.csv} (${names.join(', ')}), found "${o.target}"`,
      );
    }
    return { table, target: o.target };
  }
  const builtIn = builtInTable(o.dataset ?? 'penguins');
  return { table: builtIn.table, target: o.target ?? (builtIn.target as string), features: builtIn.features };
}

/**
 * The course's tabular hands-on: encode and scale (fitted on the training rows only), train an
 * MLP, report held-out metrics, and save a bundle that takes raw rows.
 */
export async function runTrainTabular(
  o: TabularTrainOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<{ history: EpochLogs[]; test: Record<string, number> }> {
  const backend = await initBackend();
  const { table, target, features } = await loadTable(o);
  const split = splitTable(table, { testSize: o.testSize, seed: o.seed, stratifyBy: target });
  const pre = TabularPreprocessor.create({ scale: o.scale, missing: o.missing }).fit(split.train, {
    target,
    features: features?.filter((f) => f !== target),
  });
  const classes = pre.classes ?? [];
  if (o.task === 'binary' && classes.length !== 2) {
    throw new UsageError(
      `--task binary: target "${target}" has ${classes.length} classes (${classes.join(', ')}); use --task multiclass`,
    );
  }
  const train = pre.transform(split.train);
  const test = pre.transform(split.test);
  const binary = classes.length === 2;
  const model = mlp({
    inputs: train.X.cols,
    hidden: o.hidden,
    outputs: binary ? 1 : classes.length,
    activation: o.activation,
    sigmoidOutput: binary,
    seed: o.seed,
  });
  const optimizer = buildOptimizer(o.optimizer, model.trainableParameters(), o.lr);
  const learner = new Learner(model, {
    loss: binary ? 'bce' : 'crossEntropy',
    optimizer,
    metrics: ['accuracy'],
  });
  const progress = progressReporter();
  const started = performance.now();
  let history: EpochLogs[];
  try {
    ({ history } = await learner.fit(
      { X: train.X, y: train.y as Float32Array },
      {
        epochs: o.epochs,
        batchSize: o.batchSize,
        seed: o.seed,
        onProgress: o.quiet ? undefined : (p) => progress.update(p),
      },
    ));
  } finally {
    progress.stop();
    optimizer.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  const targets = { data: test.y as Float32Array, rows: test.X.rows, cols: 1 };
  const predictions = learner.predict(test.X);
  const testMetrics = classificationMetrics(predictions, targets, learner.outputKind);
  const last = history[history.length - 1];

  const w = (line = '') => out.write(`${line}\n`);
  w();
  w(
    `data       ${o.csv ?? o.dataset ?? 'penguins'}: ${train.X.rows} training rows, ${test.X.rows} held out (stratified, seed ${o.seed}); target "${target}" (${classes.join(' / ')})`,
  );
  w(
    `features   ${pre.inputColumns.length} columns → ${pre.featureNames.length} inputs after one-hot; scaling: ${o.scale}`,
  );
  w(
    `model      ${[train.X.cols, ...o.hidden, binary ? 1 : classes.length].join('-')} MLP (${o.activation}${binary ? ', sigmoid output' : ''}), ${model.numParameters()} parameters`,
  );
  w(
    `training   ${o.optimizer} lr ${o.lr}, ${history.length} epochs, batch ${Math.min(o.batchSize, train.X.rows)}, backend ${backend.name}, ${seconds.toFixed(2)} s`,
  );
  w(`final      train loss ${last.loss.toPrecision(4)}, train accuracy ${(last.accuracy * 100).toFixed(1)}%`);
  w();
  w(`held-out test set (${test.X.rows} rows)`);
  w(formatClassificationReport(predictions, targets, learner.outputKind, classes));
  if (o.out) {
    await saveBundle(o.out, model, {
      loss: learner.lossName,
      outputKind: learner.outputKind,
      featureNames: pre.inputColumns,
      targetName: target,
      labelNames: classes,
      metrics: Object.fromEntries(
        Object.entries(testMetrics).map(([k, v]) => [`test${k[0].toUpperCase()}${k.slice(1)}`, v]),
      ),
      preprocessing: pre.toJSON() as unknown as Record<string, unknown>,
      extra: { source: o.csv ?? o.dataset, seed: o.seed, epochs: history.length, scale: o.scale },
    });
    w();
    w(`saved      ${o.out}/model.json, ${o.out}/model.safetensors`);
  }
  model.dispose();
  return { history, test: testMetrics };
}

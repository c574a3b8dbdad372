import { dropMissing, splitTable, type Table } from '@descent/datasets';
import {
  type BundleInfo,
  type EpochLogs,
  type ScaleName,
  TabularPreprocessor,
  taskHead,
} from '@descent/train';
import { chanceWarning } from '../chance-warning';
import { classificationMetrics, formatClassificationReport } from '../classification-report';
import { FitSession, type MlpFlags, testMetrics } from '../fit-session';
import { builtInTable, missingNote, readUserCsv, type TabularDatasetName } from '../tabular-data';
import { UsageError } from '../usage-error';

/** The settings of the tabular training recipe: a CSV or built-in table, its target and the MLP flags. */
export interface TabularTrainOptions extends MlpFlags {
  csv?: string;
  dataset?: TabularDatasetName;
  target?: string;
  task: 'binary' | 'multiclass';
  scale: ScaleName;
  missing: 'drop' | 'mean' | 'error';
  categorical: string[];
  testSize: number;
  out?: string;
  quiet: boolean;
}

/** Fewer rows than this cannot give both a training set and a held-out one worth the name. */
export const MIN_TABLE_ROWS = 10;
/** Below this many held-out rows the metrics get a warning: each row moves them by 1/n. */
const FEW_HELD_OUT = 20;

export async function loadTable(
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
  if (o.target !== undefined && !builtIn.table.columns.some((c) => c.name === o.target)) {
    const names = builtIn.table.columns.map((c) => `"${c.name}"`);
    throw new UsageError(
      `--target: expected one of the columns of ${o.dataset} (${names.join(', ')}), found "${o.target}"`,
    );
  }
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
  const session = await FitSession.open(out, o.quiet);
  const loadedTable = await loadTable(o);
  const { target, features } = loadedTable;
  // A row with no target cannot be learned from nor scored; the split stratifies by the target,
  // so those rows go first (under --missing error they stay, and the split names the first one).
  const table = o.missing === 'error' ? loadedTable.table : dropMissing(loadedTable.table, [target]);
  const noTarget = loadedTable.table.rows - table.rows;
  if (table.rows < MIN_TABLE_ROWS) {
    throw new Error(
      `${o.csv ?? o.dataset}: expected at least ${MIN_TABLE_ROWS} rows to split into training and held-out rows, found ${table.rows}`,
    );
  }
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
  // Two classes get one logit whatever --task says; the web app's tables do the same.
  const head = taskHead({
    task: classes.length === 2 ? 'binary' : 'multiclass',
    classes: classes.length,
  });
  const info = (): BundleInfo => ({
    loss: head.loss,
    outputKind: head.outputKind,
    featureNames: pre.inputColumns,
    targetName: target,
    labelNames: classes,
    preprocessing: pre.toJSON() as unknown as Record<string, unknown>,
    extra: { source: o.csv ?? o.dataset, seed: o.seed, epochs: o.epochs, scale: o.scale },
  });
  const { model, learner, history, seconds } = await session.fitMlp(
    o,
    train.X.cols,
    head,
    { X: train.X, y: train.y as Float32Array },
    { out: o.out, info },
  );
  const targets = { data: test.y as Float32Array, rows: test.X.rows, cols: 1 };
  const predictions = learner.predict(test.X);
  const tested = classificationMetrics(predictions, targets, head.outputKind);
  const last = history[history.length - 1];

  session.line();
  session.fact(
    'data',
    `${o.csv ?? o.dataset ?? 'penguins'}: ${train.X.rows} training rows, ${test.X.rows} held out (stratified, seed ${o.seed}); target "${target}" (${classes.join(' / ')})`,
  );
  const source = o.csv ?? o.dataset ?? 'penguins';
  const note = missingNote(o.missing, noTarget + train.dropped + test.dropped, source);
  if (note) {
    session.fact(
      'missing',
      `${note.slice(source.length + 2)}${noTarget ? `; ${noTarget} of them had no "${target}"` : ''}`,
    );
  }
  session.fact(
    'features',
    `${pre.inputColumns.length} columns → ${pre.featureNames.length} inputs after one-hot; scaling: ${o.scale}`,
  );
  session.fact(
    'model',
    `${[train.X.cols, ...o.hidden, head.outputs].join('-')} MLP (${o.activation}${head.sigmoidOutput ? ', sigmoid output' : ''}), ${model.numParameters()} parameters`,
  );
  session.fact(
    'training',
    `${o.optimizer} lr ${o.lr}, ${history.length} epochs, batch ${Math.min(o.batchSize, train.X.rows)}, backend ${session.backend}, ${seconds.toFixed(2)} s`,
  );
  session.fact(
    'final',
    `train loss ${last.loss.toPrecision(4)}, train accuracy ${(last.accuracy * 100).toFixed(1)}%`,
  );
  session.line();
  session.line(`held-out test set (${test.X.rows} rows)`);
  session.line(formatClassificationReport(predictions, targets, head.outputKind, classes));
  if (test.X.rows < FEW_HELD_OUT) {
    session.warn(
      `warning: only ${test.X.rows} held-out row${test.X.rows === 1 ? '' : 's'} (and ${train.X.rows} training rows): each held-out row moves the accuracy by ${(100 / test.X.rows).toFixed(0)} points, so these metrics say little; use more rows`,
    );
  }
  session.warn(chanceWarning(model, tested.accuracy, targets.data, o.lr));
  if (o.out) {
    await session.save(o.out, model, {
      ...info(),
      metrics: testMetrics(tested),
      extra: {
        source: o.csv ?? o.dataset,
        seed: o.seed,
        epochs: history.length,
        scale: o.scale,
        missing: o.missing,
      },
    });
    session.line(
      `next: descent predict --model ${o.out} --csv ${o.csv ?? 'rows.csv'} (then evaluate, explain)`,
    );
  }
  model.dispose();
  return { history, test: tested };
}

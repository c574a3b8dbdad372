import { loadToyDataset, type ToyDatasetName } from '@descent/datasets';
import {
  type BundleInfo,
  type EpochLogs,
  type HeadLoss,
  lossMismatch,
  type TaskKind,
  taskHead,
} from '@descent/train';
import { chanceWarning } from '../chance-warning';
import { FitSession, type MlpFlags, testMetrics } from '../fit-session';
import { formatTable } from '../table';
import { UsageError } from '../usage-error';

/** `--loss` as typed, and the loss it names. */
export const lossFlags = {
  mse: 'mse',
  mae: 'mae',
  huber: 'huber',
  bce: 'bce',
  'cross-entropy': 'crossEntropy',
} as const satisfies Record<string, HeadLoss>;
export type LossFlag = keyof typeof lossFlags;

/**
 * The loss a toy set trains with when `--loss` is left out. Two classes keep the course's sigmoid
 * output and bce, so a saved toy model predicts a probability.
 */
const defaultLossFlag: Record<TaskKind, LossFlag> = {
  regression: 'mse',
  binary: 'bce',
  multiclass: 'cross-entropy',
};

/** The settings of the toy-dataset training recipe: the dataset, the loss and the MLP flags. */
export interface TrainOptions extends MlpFlags {
  dataset: ToyDatasetName;
  /** Default: by the set's task (mse, bce or cross-entropy). */
  loss?: LossFlag;
  out?: string;
  quiet: boolean;
}

/**
 * The course's small networks: an MLP on a toy set (the dosage patients, moons, spirals...),
 * trained with the loss and optimizer named on the command line.
 */
export async function runTrain(
  o: TrainOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<EpochLogs[]> {
  const session = await FitSession.open(out, o.quiet);
  const { train, test, rowNames } = loadToyDataset(o.dataset, o.seed);
  const classes = train.classes?.length ?? 0;
  const lossFlag = o.loss ?? defaultLossFlag[train.task];
  const mismatch = lossMismatch(lossFlags[lossFlag], train.task, train.y);
  if (mismatch === 'needs-binary' && train.task === 'regression') {
    throw new UsageError(
      `--loss ${lossFlag}: needs targets in [0, 1], but ${o.dataset}'s run outside them; use mse`,
    );
  }
  if (mismatch === 'needs-binary') {
    throw new UsageError(
      `--loss ${lossFlag}: needs a binary target, but ${o.dataset} has ${classes} classes; use cross-entropy`,
    );
  }
  if (mismatch === 'needs-classes') {
    throw new UsageError(
      `--loss ${lossFlag}: needs class labels, but ${o.dataset} is a regression task; use mse`,
    );
  }
  const head = taskHead({
    task: train.task,
    classes: classes || undefined,
    loss: lossFlags[lossFlag],
    targets: train.y,
  });
  const info = (): BundleInfo => ({
    loss: head.loss,
    outputKind: head.outputKind,
    featureNames: train.featureNames,
    targetName: train.targetName,
    labelNames: train.classes,
    extra: { dataset: o.dataset, seed: o.seed, epochs: o.epochs },
  });
  const { model, learner, history, seconds } = await session.fitMlp(
    o,
    train.X.cols,
    head,
    { X: train.X, y: train.y },
    { out: o.out, info },
  );
  const last = history[history.length - 1];
  const tested = test ? learner.evaluate({ X: test.X, y: test.y }) : undefined;
  const classify = head.outputKind !== 'value';
  const scores = (m: Record<string, number>, accuracy: string) =>
    `loss ${m.loss.toPrecision(4)}${classify ? `, ${accuracy} ${(m.accuracy * 100).toFixed(1)}%` : `, mse ${m.mse.toPrecision(4)}`}`;

  session.line();
  session.fact(
    'dataset',
    `${o.dataset}: ${train.X.rows} training rows${test ? `, ${test.X.rows} held out` : ''}, ${train.X.cols} feature(s) → ${train.targetName} (${train.task})`,
  );
  const widths = [train.X.cols, ...o.hidden, head.outputs].join('-');
  session.fact(
    'model',
    `${widths} MLP (${o.activation}${head.sigmoidOutput ? ', sigmoid output' : ''}), ${model.numParameters()} parameters`,
  );
  session.fact(
    'training',
    `${o.optimizer} lr ${o.lr}, loss ${lossFlag}, batch ${Math.min(o.batchSize, train.X.rows)}, ${history.length} epochs, seed ${o.seed}, backend ${session.backend}`,
  );
  session.fact(
    'time',
    `${seconds.toFixed(2)} s, ${Math.round((train.X.rows * history.length) / seconds).toLocaleString('en-US')} samples/s`,
  );
  session.fact('final', scores(last, 'train accuracy'));
  if (!classify) {
    session.hint({
      optimizer: o.optimizer,
      hidden: o.hidden,
      losses: history.map((h) => h.loss),
      y: train.y,
    });
  }
  if (tested) session.fact('test', scores(tested, 'accuracy'));
  if (tested && test && classify) session.warn(chanceWarning(model, tested.accuracy, test.y, o.lr));
  if (rowNames) {
    // A set small enough to show whole: every row, its target and the fitted prediction.
    const predictions = learner.predict(train.X);
    const rows = Array.from({ length: train.X.rows }, (_, i) => [
      rowNames.names[i] ?? String(i),
      train.X.data[i].toFixed(2),
      String(train.y[i]),
      predictions.data[i].toFixed(4),
    ]);
    session.line();
    session.line(formatTable([rowNames.title, ...train.featureNames, train.targetName, 'predicted'], rows));
  }
  if (o.out) {
    await session.save(o.out, model, {
      ...info(),
      metrics: { loss: last.loss, ...(tested ? testMetrics(tested) : {}) },
      extra: { dataset: o.dataset, seed: o.seed, epochs: history.length },
    });
    // A toy bundle takes rows of numbers: its first training row is one that surely parses.
    const row = Array.from(train.X.data.subarray(0, train.X.cols), (v) => Number(v.toFixed(3))).join(',');
    // `--input=` keeps a negative first value from reading as a flag.
    session.next(['descent', 'predict', '--model', o.out, `--input=${row}`], 'the first training row');
  }
  model.dispose();
  return history;
}

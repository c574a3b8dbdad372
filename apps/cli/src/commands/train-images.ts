import { mixSeed } from '@descent/datasets';
import { type FloatImageDataset, type ImageSplit, mnistBinary, mnistDigits } from '@descent/datasets/images';
import { Adam, OneCycleLR } from '@descent/optim';
import { initBackend } from '@descent/tensor';
import { type EpochLogs, type FitOptions, type HostMatrix, Learner } from '@descent/train';
import { fitParallel, saveBundle } from '@descent/train/node';
import { randomShift } from '../augment';
import { classificationMetrics, formatClassificationReport } from '../classification-report';
import {
  buildImageModel,
  DIGIT_SHAPE,
  describeImageModel,
  type ImageModelKind,
  imageModels,
} from '../image-model';
import { parseChoice, parseNumber } from '../parse';
import { progressReporter } from '../progress';
import { UsageError } from '../usage-error';

export const imageDatasets = ['mnist', 'mnist-binary'] as const;
export type ImageDatasetName = (typeof imageDatasets)[number];

export interface ImageTrainOptions {
  dataset: ImageDatasetName;
  model: ImageModelKind;
  epochs: number;
  batchSize: number;
  /** Adam's peak rate in the one-cycle schedule. */
  lr: number;
  /** Random shifts of up to this many pixels each epoch but the last (0: no augmentation). */
  shift: number;
  seed: number;
  /** Train on the first `limit` training images only (quick runs). */
  limit?: number;
  /** Threads to train on, data-parallel (1: the plain Learner.fit). */
  workers?: number;
  out?: string;
  quiet: boolean;
}

/** The defaults that reach 98 % on the 2,000 held-out digits within a minute (bench/mnist-minute.mjs). */
export const imageTrainDefaults = {
  cnn: { epochs: 6, batchSize: 32, lr: 1e-2, shift: 1 },
  mlp: { epochs: 5, batchSize: 32, lr: 2e-3, shift: 0 },
} as const;

export interface ImageTrainResult {
  history: EpochLogs[];
  /** Held-out metrics: accuracy, precision, recall, f1, rocAuc, logLoss. */
  test: Record<string, number>;
  trainImages: number;
  testImages: number;
  /** Time spent in training alone (the fits and the augmentation), seconds. */
  seconds: number;
  samplesPerSecond: number;
  backend: string;
  parameters: number;
}

async function loadImages(o: ImageTrainOptions): Promise<ImageSplit> {
  const split =
    o.dataset === 'mnist'
      ? await mnistDigits({ seed: o.seed, testSize: 2000 })
      : await mnistBinary({ seed: o.seed, positive: 3, negative: 8 });
  if (o.limit === undefined || o.limit >= split.train.count) return split;
  return { train: firstImages(split.train, o.limit), test: split.test };
}

/** The first n images; the split already shuffled them, so this is a seeded random subset. */
function firstImages(d: FloatImageDataset, n: number): FloatImageDataset {
  const size = d.channels * d.height * d.width;
  return { ...d, count: n, images: d.images.slice(0, n * size), labels: d.labels.slice(0, n) };
}

const matrix = (d: FloatImageDataset): HostMatrix => ({
  data: d.images,
  rows: d.count,
  cols: d.channels * d.height * d.width,
});

/**
 * The course's image hands-on: a CNN (or the dense baseline) on real MNIST digits, Adam with a
 * one-cycle learning rate stepped every batch, optional random shifts, then the held-out report
 * and a bundle that `descent predict --image` reads.
 */
export async function runTrainImages(
  o: ImageTrainOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<ImageTrainResult> {
  const backend = await initBackend();
  const { train, test } = await loadImages(o);
  const binary = o.dataset === 'mnist-binary';
  const classes = train.classes;
  const model = buildImageModel(o.model, binary ? 1 : classes.length, o.seed);
  const optimizer = new Adam(model.trainableParameters(), { lr: o.lr });
  const batchSize = Math.min(o.batchSize, train.count);
  const perEpoch = Math.ceil(train.count / batchSize);
  const schedule = new OneCycleLR(optimizer, { maxLr: o.lr, totalSteps: o.epochs * perEpoch });
  const learner = new Learner(model, {
    loss: binary ? 'bceWithLogits' : 'crossEntropy',
    optimizer,
    metrics: ['accuracy'],
    inputShape: DIGIT_SHAPE,
  });
  const X = matrix(train);
  const shifted = o.shift > 0 ? new Float32Array(X.data.length) : undefined;
  const progress = progressReporter();
  const history: EpochLogs[] = [];
  const started = performance.now();
  try {
    // One fit per epoch, so that each epoch can see freshly shifted images; the last epoch sees
    // the originals, which the held-out digits resemble.
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      let data = X.data;
      if (shifted && epoch < o.epochs) {
        randomShift(X.data, shifted, { channels: 1, height: 28, width: 28 }, o.shift, mixSeed(o.seed, epoch));
        data = shifted;
      }
      const epochData = { X: { ...X, data }, y: train.labels };
      const fitOptions: FitOptions = {
        epochs: 1,
        batchSize,
        seed: mixSeed(o.seed, epoch),
        callbacks: [{ onBatchEnd: () => schedule.step() }],
        onProgress: o.quiet
          ? undefined
          : (p) => {
              const elapsedMs = performance.now() - started;
              const done = (epoch - 1) * train.count + Math.min(p.batch * batchSize, train.count);
              const rate = done / (elapsedMs / 1000);
              const etaMs = ((o.epochs * train.count - done) / rate) * 1000;
              progress.update({ ...p, epoch, epochs: o.epochs, samplesPerSecond: rate, elapsedMs, etaMs });
            },
      };
      const workers = o.workers ?? 1;
      // Workers rebuild the network from its config, so they import the package that registers Conv2d.
      const result =
        workers > 1
          ? await fitParallel(learner, epochData, { ...fitOptions, workers, imports: ['@descent/cnn'] })
          : await learner.fit(epochData, fitOptions);
      history.push({ ...result.history[result.history.length - 1], epoch });
    }
  } finally {
    progress.stop();
    optimizer.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  const samplesPerSecond = (train.count * o.epochs) / seconds;
  const predictions = learner.predict(matrix(test));
  const targets: HostMatrix = { data: test.labels, rows: test.count, cols: 1 };
  const testMetrics = classificationMetrics(predictions, targets, learner.outputKind);
  const last = history[history.length - 1];

  const w = (line = '') => out.write(`${line}\n`);
  const task = binary ? `${classes[1]} (label 1) vs ${classes[0]} (label 0)` : '10 digits';
  const shifts =
    o.shift && o.epochs > 1 ? `random shifts ±${o.shift} px (all epochs but the last)` : 'no augmentation';
  w();
  w(
    `data       ${o.dataset}, ${task}: ${train.count} training images${o.limit !== undefined ? ` (--limit ${o.limit})` : ''}, ${test.count} held out (stratified, seed ${o.seed}), 28×28 grey`,
  );
  w(
    `model      ${o.model.toUpperCase()} ${describeImageModel(model)}, ${model.numParameters().toLocaleString('en-US')} parameters`,
  );
  w(
    `training   adam, one-cycle lr up to ${o.lr}, batch ${batchSize}, ${o.epochs} epoch${o.epochs === 1 ? '' : 's'}, ${shifts}, seed ${o.seed}, backend ${backend.name}${(o.workers ?? 1) > 1 ? `, ${o.workers} threads` : ''}`,
  );
  w(`time       ${seconds.toFixed(1)} s, ${Math.round(samplesPerSecond).toLocaleString('en-US')} samples/s`);
  w(`final      train loss ${last.loss.toPrecision(4)}, train accuracy ${(last.accuracy * 100).toFixed(2)}%`);
  w();
  w(`held-out test set (${test.count} images): accuracy ${(testMetrics.accuracy * 100).toFixed(2)}%`);
  w(formatClassificationReport(predictions, targets, learner.outputKind, classes));
  if (o.out) {
    await saveBundle(o.out, model, {
      loss: learner.lossName,
      outputKind: learner.outputKind,
      inputShape: [...DIGIT_SHAPE],
      targetName: 'digit',
      labelNames: classes,
      metrics: Object.fromEntries(
        Object.entries(testMetrics).map(([k, v]) => [`test${k[0].toUpperCase()}${k.slice(1)}`, v]),
      ),
      extra: {
        dataset: o.dataset,
        model: o.model,
        seed: o.seed,
        epochs: o.epochs,
        batchSize,
        lr: o.lr,
        shift: o.shift,
        trainImages: train.count,
        trainSeconds: Number(seconds.toFixed(2)),
      },
    });
    w();
    w(`saved      ${o.out}/model.json, ${o.out}/model.safetensors`);
  }
  const parameters = model.numParameters();
  model.dispose();
  return {
    history,
    test: testMetrics,
    trainImages: train.count,
    testImages: test.count,
    seconds,
    samplesPerSecond,
    backend: backend.name,
    parameters,
  };
}

/**
 * `descent train --dataset mnist ...`'s flags as options; flags left out take the defaults of the
 * chosen model (imageTrainDefaults). Flags of the tabular and toy paths are refused.
 */
export function imageTrainOptions(raw: Record<string, unknown>): ImageTrainOptions {
  for (const flag of ['csv', 'target', 'hidden', 'activation', 'loss', 'optimizer', 'categorical']) {
    if (raw[flag] !== undefined) {
      throw new UsageError(`--${flag}: not used with image data sets (the model is set by --model cnn|mlp)`);
    }
  }
  const model = parseChoice('--model', String(raw.model ?? 'cnn'), imageModels);
  const d = imageTrainDefaults[model];
  const text = (v: unknown, fallback: number) => (v === undefined ? String(fallback) : String(v));
  return {
    dataset: parseChoice('--dataset', String(raw.dataset), imageDatasets),
    model,
    epochs: parseNumber('--epochs', text(raw.epochs, d.epochs), { integer: true, positive: true }),
    batchSize: parseNumber('--batch-size', text(raw.batchSize, d.batchSize), {
      integer: true,
      positive: true,
    }),
    lr: parseNumber('--lr', text(raw.lr, d.lr), { positive: true }),
    shift: parseNumber('--shift', text(raw.shift, d.shift), { integer: true, min: 0 }),
    seed: parseNumber('--seed', text(raw.seed, 1), { integer: true, min: 0 }),
    limit:
      raw.limit === undefined
        ? undefined
        : parseNumber('--limit', String(raw.limit), { integer: true, positive: true }),
    workers: parseNumber('--workers', text(raw.workers, 1), { integer: true, positive: true }),
    out: raw.out as string | undefined,
    quiet: Boolean(raw.quiet),
  };
}

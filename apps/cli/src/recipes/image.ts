import { resolve } from 'node:path';
import type { FloatImageDataset } from '@descent/datasets/images';
import { Adam, OneCycleLR } from '@descent/optim';
import { type BundleInfo, type EpochLogs, type FitOptions, type Matrix, taskHead } from '@descent/train';
import { fitParallel } from '@descent/train/node';
import { shiftEachEpoch } from '../augment';
import { chanceWarning } from '../chance-warning';
import { FitSession, testMetrics } from '../fit-session';
import { firstImages, type ImageDatasetName, imageDatasets, loadImageData } from '../image-data';
import { evaluateImages } from '../image-evaluation';
import { buildImageModel, describeImageModel } from '../image-model';
import { writeOutFile } from '../output-path';
import { evaluationReport } from '../report/evaluation-report';

import type { ImageTrainOptions } from './image-options';

export {
  type ImageTrainOptions,
  imageTrainDefaults,
  imageTrainOptions,
  officialSetDefaults,
} from './image-options';
export { type ImageDatasetName, imageDatasets };

/** What the image training recipe returns: the training history, test metrics and set sizes. */
export interface ImageTrainResult {
  history: EpochLogs[];
  /** Test-set metrics: accuracy, precision, recall, f1, rocAuc, logLoss. */
  test: Record<string, number>;
  trainImages: number;
  testImages: number;
  /** Time spent in training alone (the fits and the augmentation), seconds. */
  seconds: number;
  samplesPerSecond: number;
  backend: string;
  parameters: number;
}

const matrix = (d: FloatImageDataset): Matrix => ({
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
  const session = await FitSession.open(out, o.quiet);
  const data = await loadImageData({
    dataset: o.dataset,
    images: o.images,
    dataDir: o.dataDir,
    seed: o.seed,
  });
  const name = o.dataset ?? o.images?.dir ?? '';
  const train = o.limit === undefined ? data.train : firstImages(data.train, o.limit);
  const test = data.test;
  const classes = train.classes;
  const head = taskHead(
    o.dataset === 'mnist-binary'
      ? { task: 'binary', classes: 2 }
      : { task: 'multiclass', classes: classes.length },
  );
  const inputShape: [number, number, number] = [train.channels, train.height, train.width];
  const model = buildImageModel(o.model, head.outputs, o.seed, {
    inputShape,
    channels: o.channels,
    hidden: o.hidden,
    batchNorm: o.batchNorm,
    dropout: o.dropout,
  });
  const optimizer = new Adam(model.trainableParameters(), { lr: o.lr });
  const batchSize = Math.min(o.batchSize, train.count);
  const perEpoch = Math.ceil(train.count / batchSize);
  const schedule = new OneCycleLR(optimizer, { maxLr: o.lr, totalSteps: o.epochs * perEpoch });
  const learner = session.learner(model, head, optimizer, inputShape);
  const workers = o.workers ?? 1;
  const X = matrix(train);
  // With shifts, the fit trains on `shifted`: each epoch but the last begins by writing freshly
  // shifted images into it, and the last by writing the originals back, which the test images
  // resemble. One fit over all epochs, rather than one per epoch, keeps fitParallel's worker
  // threads (their start, about 0.4 s, and their warm-up) for the whole run. With workers the
  // buffer must be shared memory: fitParallel would train every epoch on a copy of any other array.
  const shifted =
    o.shift > 0 && o.epochs > 1
      ? workers > 1
        ? new Float32Array(new SharedArrayBuffer(X.data.byteLength))
        : new Float32Array(X.data.length)
      : undefined;
  const trainPixels = shifted ?? X.data;
  const info = (): BundleInfo => ({
    loss: head.loss,
    outputKind: head.outputKind,
    inputShape,
    targetName: o.dataset?.startsWith('mnist') ? 'digit' : 'class',
    labelNames: classes,
    extra: {
      ...(o.dataset ? { dataset: o.dataset } : {}),
      ...(o.images ? { images: { ...o.images, dir: resolve(o.images.dir) } } : {}),
      ...(o.dataDir ? { dataDir: resolve(o.dataDir) } : {}),
      // What a user of the weights elsewhere (PyTorch, a browser) must do to an image first.
      pixels: { divideBy: 255, layout: 'channels, height, width', range: [0, 1] },
      model: o.model,
      channels: o.channels,
      hidden: o.hidden,
      seed: o.seed,
      epochs: o.epochs,
      batchSize,
      lr: o.lr,
      shift: o.shift,
      trainImages: train.count,
    },
  });
  const plan = { model, info, out: o.out, epochs: o.epochs };
  const trainData = { X: { ...X, data: trainPixels }, y: train.labels };
  const { result: history, seconds } = await session.track(
    optimizer,
    async (onProgress, guard) => {
      const fitOptions: FitOptions = {
        epochs: o.epochs,
        batchSize,
        seed: o.seed,
        signal: guard.signal,
        onProgress,
        callbacks: [
          ...(shifted
            ? [shiftEachEpoch(X.data, shifted, train, { maxShift: o.shift, seed: o.seed, epochs: o.epochs })]
            : []),
          { onBatchEnd: () => schedule.step() },
          guard.lastEpoch,
        ],
      };
      // Workers rebuild the network from its config, so they import the package that registers
      // Conv2d (resolved here: the CLI may run from any folder).
      const result =
        workers > 1
          ? await fitParallel(learner, trainData, {
              ...fitOptions,
              workers,
              imports: [import.meta.resolve('@descent/cnn')],
            })
          : await learner.fit(trainData, fitOptions);
      return result.history;
    },
    plan,
  );
  const samplesPerSecond = (train.count * o.epochs) / seconds;
  const evaluation = evaluateImages(learner, test, head.outputKind);
  const last = history[history.length - 1];

  const shifts =
    o.shift && o.epochs > 1 ? `random shifts ±${o.shift} px (all epochs but the last)` : 'no augmentation';
  const size = `${train.height}×${train.width} ${train.channels === 1 ? 'grey' : 'RGB'}`;
  const described = `${o.model.toUpperCase()} ${describeImageModel(model)}, ${model.numParameters().toLocaleString('en-US')} parameters`;
  const trainingLine = `adam, one-cycle lr up to ${o.lr}, batch ${batchSize}, ${o.epochs} epoch${o.epochs === 1 ? '' : 's'}, ${shifts}, seed ${o.seed}, backend ${session.backend}${(o.workers ?? 1) > 1 ? `, ${o.workers} threads` : ''}`;
  session.line();
  session.fact(
    'data',
    `${name}, ${data.task}: ${train.count} training images${o.limit !== undefined ? ` (--limit ${o.limit})` : ''}, ${test.count} test images (${data.testKind}), ${size}`,
  );
  session.fact('model', described);
  session.fact('training', trainingLine);
  session.fact(
    'time',
    `${seconds.toFixed(1)} s, ${Math.round(samplesPerSecond).toLocaleString('en-US')} samples/s`,
  );
  session.fact(
    'final',
    `train loss ${last.loss.toPrecision(4)}, train accuracy ${(last.accuracy * 100).toFixed(2)}%`,
  );
  session.line();
  session.line(
    `test set (${test.count} images, ${data.testKind}): accuracy ${(evaluation.metrics.accuracy * 100).toFixed(2)}%`,
  );
  session.line(evaluation.text);
  session.warn(chanceWarning(model, evaluation.metrics.accuracy, test.labels, o.lr));
  if (o.out) {
    const saved = info();
    await session.save(o.out, model, {
      ...saved,
      metrics: testMetrics(evaluation.metrics),
      extra: { ...saved.extra, trainSeconds: Number(seconds.toFixed(2)) },
    });
  }
  if (o.report) {
    const facts: [string, string][] = [
      ['data', `${name}: ${train.count} training images, ${test.count} test images (${data.testKind})`],
      ['model', described],
      ['training', `${trainingLine}; ${seconds.toFixed(1)} s`],
    ];
    const html = evaluationReport({
      dataName: `${name}, ${data.testKind}`,
      modelDir: o.out,
      test,
      evaluation,
      facts,
      command: 'descent train',
    });
    await writeOutFile('--report', o.report, html);
    session.fact('report', o.report);
  }
  if (o.out) {
    // The bundle records what it was trained on, so evaluate finds the same test images alone.
    session.next(
      ['descent', 'evaluate', '--model', o.out],
      'then predict --image or explain --image on a picture',
    );
  }
  const parameters = model.numParameters();
  model.dispose();
  return {
    history,
    test: evaluation.metrics,
    trainImages: train.count,
    testImages: test.count,
    seconds,
    samplesPerSecond,
    backend: session.backend,
    parameters,
  };
}

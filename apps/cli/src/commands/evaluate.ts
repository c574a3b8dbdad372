import { initBackend } from '@descent/tensor';
import { Learner } from '@descent/train';
import { Command } from 'commander';
import { bundleRows, type LoadedModel, loadModel } from '../bundle-rows';
import { classificationMetrics, formatClassificationReport } from '../classification-report';
import { type ImageFolderRequest, imageDatasets, type LoadedImages, loadImageData } from '../image-data';
import { evaluateImages } from '../image-evaluation';
import { MAX_PIXELS_HELP, parseMaxPixels } from '../image-input';
import { reportStream, writeJson } from '../json-output';
import { MAX_MODEL_MB_FLAG, MAX_MODEL_MB_HELP } from '../model-limit';
import { checkOutFile, reportWrittenBy, writeOutFile } from '../output-path';
import { parseChoice } from '../parse';
import { evaluationReport } from '../report/evaluation-report';
import { UsageError } from '../usage-error';

export interface EvaluateOptions {
  model: string;
  /** `--max-model-mb` as typed. */
  maxModelMb?: string;
  /** A labelled CSV, for table models. */
  csv?: string;
  /** `--images`: the most pixels one image may declare. */
  maxPixels?: number;
  /** An image set, for image models; default the one the bundle was trained on. */
  dataset?: string;
  dataDir?: string;
  /** Image models: score every image of this folder of class sub-folders. */
  images?: string;
  /** Image models: write the HTML report here. */
  report?: string;
}

/**
 * Prints a model's metrics and confusion matrix: a table model on a labelled CSV, an image model
 * on an image set's test images (by default those of the set it was trained on).
 */
export async function runEvaluate(
  options: EvaluateOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<Record<string, number>> {
  if (options.report !== undefined) await checkOutFile('--report', options.report);
  await initBackend();
  const loaded = await loadModel(options.model, options.maxModelMb);
  try {
    if (loaded.manifest.inputShape) return await evaluateImageModel(loaded, options, out);
    if (options.csv === undefined) throw new UsageError('--csv: a table model needs a labelled CSV file');
    for (const flag of ['dataset', 'dataDir', 'images', 'report'] as const) {
      if (options[flag] !== undefined)
        throw new UsageError(`--${flag === 'dataDir' ? 'data-dir' : flag}: only for image models`);
    }
    const rows = await bundleRows(loaded, options.csv, true);
    const predictions = loaded.learner.predict(rows.X);
    const targets = { data: rows.y as Float32Array, rows: rows.X.rows, cols: 1 };
    const kind = loaded.manifest.outputKind;
    out.write(`${options.csv}: ${rows.X.rows} rows\n`);
    if (rows.note) out.write(`${rows.note}\n`);
    out.write(
      `${formatClassificationReport(predictions, targets, kind, loaded.manifest.labelNames ?? [])}\n`,
    );
    return classificationMetrics(predictions, targets, kind);
  } finally {
    loaded.model.dispose();
  }
}

async function evaluateImageModel(
  loaded: LoadedModel,
  options: EvaluateOptions,
  out: NodeJS.WritableStream,
): Promise<Record<string, number>> {
  const { manifest } = loaded;
  if (options.csv !== undefined) throw new UsageError('--csv: this is an image model; use --dataset');
  const shape = manifest.inputShape ?? [];
  const data = await imageData(options, manifest.extra ?? {}, shape);
  const { test } = data;
  const extra = (manifest.extra ?? {}) as { dataset?: string; images?: ImageFolderRequest };
  const name = options.images ?? options.dataset ?? extra.dataset ?? extra.images?.dir ?? 'the test set';
  if (shape.join() !== [test.channels, test.height, test.width].join()) {
    throw new UsageError(
      `${name}: the model takes images of shape [${shape.join(', ')}], the test images are [${test.channels}, ${test.height}, ${test.width}]`,
    );
  }
  const labels = manifest.labelNames ?? [];
  // Class k of the model must be class k of the data, or the scores mean nothing.
  if (labels.join('\n') !== test.classes.join('\n')) {
    throw new UsageError(
      `${name}: expected the model's classes (${labels.join(', ')}), found ${test.classes.length} classes (${test.classes.join(', ')})`,
    );
  }
  const learner = new Learner(loaded.model, {
    loss: manifest.loss,
    outputKind: manifest.outputKind,
    inputShape: shape,
  });
  const evaluation = evaluateImages(learner, test, manifest.outputKind);
  out.write(
    `${name}: ${test.count} test images (${data.testKind}): accuracy ${(evaluation.metrics.accuracy * 100).toFixed(2)}%\n`,
  );
  out.write(`${evaluation.text}\n`);
  if (options.report) {
    const html = evaluationReport({
      dataName: `${name}, ${data.testKind}`,
      modelDir: options.model,
      test,
      evaluation,
      facts: [
        ['model', options.model],
        ['data', `${name}: ${test.count} test images (${data.testKind})`],
        ['classes', labels.join(', ')],
      ],
      command: 'descent evaluate',
    });
    const writer = await reportWrittenBy(options.report, 'descent evaluate');
    await writeOutFile('--report', options.report, html);
    out.write(`report     ${options.report}\n`);
    // A training report of the same name is gone now: say so rather than replace it silently.
    if (writer)
      process.stderr.write(`descent: --report ${options.report}: replaced the report written by ${writer}\n`);
  }
  return evaluation.metrics;
}

/**
 * The test images to score: `--images DIR` (all of it), `--dataset` (its test side), or what the
 * bundle was trained on: the same set, or the same folder split again with the training seed.
 */
async function imageData(
  options: EvaluateOptions,
  extra: Record<string, unknown>,
  shape: number[],
): Promise<LoadedImages> {
  const seed = typeof extra.seed === 'number' ? extra.seed : 1;
  if (options.images !== undefined) {
    if (options.dataset !== undefined)
      throw new UsageError('--images and --dataset: expected one of them, found both');
    const folder: ImageFolderRequest = {
      dir: options.images,
      size: [shape[1], shape[2]],
      rgb: shape[0] === 3,
      testSize: 0,
      maxPixels: options.maxPixels,
    };
    const all = await loadImageData({ images: folder, seed });
    return { ...all, test: all.train, testKind: `every image in ${options.images}` };
  }
  const trainedOn = extra.images as ImageFolderRequest | undefined;
  if (options.dataset === undefined && trainedOn) return loadImageData({ images: trainedOn, seed });
  const name = options.dataset ?? (extra.dataset as string | undefined);
  if (name === undefined) {
    throw new UsageError(
      `--dataset: the model does not say what it was trained on; expected one of ${imageDatasets.join(', ')}, or --images DIR`,
    );
  }
  const dataset = parseChoice('--dataset', name, imageDatasets);
  const dataDir =
    options.dataDir ?? (dataset === extra.dataset ? (extra.dataDir as string | undefined) : undefined);
  // The sets we split ourselves need the training seed to find the same held-out images.
  return loadImageData({ dataset, dataDir, seed });
}

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description(
      "print a model's metrics and confusion matrix: a table model on a labelled CSV, an image model on a test set",
    )
    .requiredOption('--model <dir>', 'a bundle folder written by `descent train --out`')
    .option('--csv <file>', 'table models: rows with the target column')
    .option(MAX_MODEL_MB_FLAG, MAX_MODEL_MB_HELP)
    .option(
      '--dataset <name>',
      `image models: ${imageDatasets.join(', ')} (default: the one it was trained on)`,
    )
    .option('--data-dir <dir>', 'image models: a folder with the four IDX files')
    .option('--images <dir>', 'image models: score every image of a folder of class sub-folders')
    .option('--max-pixels <n>', `--images: ${MAX_PIXELS_HELP}`)
    .option(
      '--report <file>',
      'image models: write an HTML report (confusion matrix, worst-classified images)',
    )
    .option('--json', 'print the metrics as one JSON object on stdout (the report goes to stderr)')
    .action(async ({ json, ...raw }) => {
      if (raw.maxPixels !== undefined && raw.images === undefined)
        throw new UsageError('--max-pixels: only with --images DIR');
      const metrics = await runEvaluate(
        { ...raw, maxPixels: parseMaxPixels(raw.maxPixels) },
        reportStream(json),
      );
      if (json) writeJson({ command: 'evaluate', model: raw.model, metrics });
    });
}

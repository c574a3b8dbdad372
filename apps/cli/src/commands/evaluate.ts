import { initBackend } from '@descent/tensor';
import { Learner } from '@descent/train';
import { Command } from 'commander';
import { bundleRows, type LoadedModel, loadModel } from '../bundle-rows';
import { classificationMetrics, formatClassificationReport } from '../classification-report';
import { type ImageDatasetName, imageDatasets, loadImageData } from '../image-data';
import { evaluateImages } from '../image-evaluation';
import { parseChoice } from '../parse';
import { evaluationReport } from '../report/evaluation-report';
import { UsageError } from '../usage-error';
import { writeFileAtomic } from '../write-atomic';

export interface EvaluateOptions {
  model: string;
  /** A labelled CSV, for table models. */
  csv?: string;
  /** An image set, for image models; default the one the bundle was trained on. */
  dataset?: string;
  dataDir?: string;
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
  await initBackend();
  const loaded = await loadModel(options.model);
  try {
    if (loaded.manifest.inputShape) return await evaluateImageModel(loaded, options, out);
    if (options.csv === undefined) throw new UsageError('--csv: a table model needs a labelled CSV file');
    for (const flag of ['dataset', 'dataDir', 'report'] as const) {
      if (options[flag] !== undefined)
        throw new UsageError(`--${flag === 'dataDir' ? 'data-dir' : flag}: only for image models`);
    }
    const rows = await bundleRows(loaded, options.csv, true);
    const predictions = loaded.learner.predict(rows.X);
    const targets = { data: rows.y as Float32Array, rows: rows.X.rows, cols: 1 };
    const kind = loaded.manifest.outputKind;
    out.write(
      `${options.csv}: ${rows.X.rows} rows${rows.dropped ? ` (${rows.dropped} dropped for missing values)` : ''}\n`,
    );
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
  const extra = (manifest.extra ?? {}) as { dataset?: string; dataDir?: string; seed?: number };
  const name = options.dataset ?? extra.dataset;
  if (name === undefined) {
    throw new UsageError(
      `--dataset: ${options.model} does not say what it was trained on; expected one of ${imageDatasets.join(', ')}`,
    );
  }
  const dataset = parseChoice('--dataset', name, imageDatasets) as ImageDatasetName;
  // The sets we split ourselves need the training seed to find the same held-out images.
  const data = await loadImageData({
    dataset,
    dataDir: options.dataDir ?? (dataset === extra.dataset ? extra.dataDir : undefined),
    seed: extra.seed ?? 1,
  });
  const { test } = data;
  const shape = manifest.inputShape ?? [];
  if (shape.join() !== [test.channels, test.height, test.width].join()) {
    throw new UsageError(
      `--dataset ${dataset}: the model takes images of shape [${shape.join(', ')}], the test images are [${test.channels}, ${test.height}, ${test.width}]`,
    );
  }
  const labels = manifest.labelNames ?? [];
  if (labels.length !== test.classes.length) {
    throw new UsageError(
      `--dataset ${dataset}: the model has ${labels.length} classes (${labels.join(', ')}), the data set ${test.classes.length}`,
    );
  }
  const learner = new Learner(loaded.model, {
    loss: manifest.loss,
    outputKind: manifest.outputKind,
    inputShape: shape,
  });
  const evaluation = evaluateImages(learner, test, manifest.outputKind);
  out.write(
    `${dataset}: ${test.count} test images (${data.testKind}): accuracy ${(evaluation.metrics.accuracy * 100).toFixed(2)}%\n`,
  );
  out.write(`${evaluation.text}\n`);
  if (options.report) {
    const html = evaluationReport({
      dataName: `${dataset}, ${data.testKind}`,
      modelDir: options.model,
      test,
      evaluation,
      facts: [
        ['model', options.model],
        ['data', `${dataset}: ${test.count} test images (${data.testKind})`],
        ['classes', labels.join(', ')],
      ],
      command: 'descent evaluate',
    });
    await writeFileAtomic(options.report, html);
    out.write(`report     ${options.report}\n`);
  }
  return evaluation.metrics;
}

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description(
      "print a model's metrics and confusion matrix: a table model on a labelled CSV, an image model on a test set",
    )
    .requiredOption('--model <dir>', 'a bundle folder written by `descent train --out`')
    .option('--csv <file>', 'table models: rows with the target column')
    .option(
      '--dataset <name>',
      `image models: ${imageDatasets.join(', ')} (default: the one it was trained on)`,
    )
    .option('--data-dir <dir>', 'image models: a folder with the four IDX files')
    .option(
      '--report <file>',
      'image models: write an HTML report (confusion matrix, worst-classified images)',
    )
    .action(async (raw) => {
      await runEvaluate(raw);
    });
}

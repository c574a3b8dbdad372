import { initBackend } from '@descent/tensor';
import { type Matrix, predictedClass, probabilities } from '@descent/train';
import { Command } from 'commander';
import { bundleRows, type LoadedModel, loadModel } from '../bundle-rows';
import { toCsv } from '../csv-output';
import { MAX_PIXELS_HELP, parseMaxPixels } from '../image-input';
import { reportStream, writeJson } from '../json-output';
import { MAX_MODEL_MB_FLAG, MAX_MODEL_MB_HELP } from '../model-limit';
import { checkOutFile, writeOutFile } from '../output-path';
import { parseNumberList } from '../parse';
import { formatTable } from '../table';
import { UsageError } from '../usage-error';
import { runPredictImage } from './predict-image';

/**
 * `--input 0,0.5,1` is three rows for a one-feature model; rows of a wider model are separated
 * by semicolons: `--input "0.1,2;0.3,4"`.
 */
export function parseInputRows(raw: string, features: number): number[][] {
  if (features === 1 && !raw.includes(';')) return parseNumberList('--input', raw).map((v) => [v]);
  return raw.split(';').map((row, i) => {
    const values = parseNumberList(`--input row ${i + 1}`, row);
    if (values.length !== features) {
      throw new UsageError(
        `--input row ${i + 1}: expected ${features} numbers (the model's features), found ${values.length}`,
      );
    }
    return values;
  });
}

function predictInput(loaded: LoadedModel, input: string, out: NodeJS.WritableStream): Matrix {
  const { manifest, learner } = loaded;
  if (loaded.preprocessor) throw new UsageError('--input: this model takes table rows; use --csv');
  const first = manifest.architecture as { layers?: { inFeatures?: number }[] };
  const features = manifest.featureNames?.length ?? first.layers?.[0]?.inFeatures ?? 1;
  const rows = parseInputRows(input, features);
  const predictions = learner.predict(rows);
  const names = manifest.featureNames ?? rows[0].map((_, i) => `x${i}`);
  const outputs =
    predictions.cols === 1
      ? [manifest.targetName ?? 'prediction']
      : (manifest.labelNames ?? []).map((l) => `score(${l})`);
  const classify = manifest.outputKind !== 'value';
  const header = [...names, ...outputs, ...(classify ? ['class'] : [])];
  const table = rows.map((row, r) => {
    const values = predictions.data.subarray(r * predictions.cols, (r + 1) * predictions.cols);
    const cells = [...row.map(String), ...Array.from(values, (v) => v.toFixed(4))];
    if (classify) {
      const k = predictedClass(predictions, r, manifest.outputKind);
      cells.push(manifest.labelNames?.[k] ?? String(k));
    }
    return cells;
  });
  out.write(`${formatTable(header, table)}\n`);
  return predictions;
}

/**
 * One CSV line per input row: its row number, each class's probability, the predicted label
 * (csv-stringify: labels with commas quoted, formulas such as =HYPERLINK(...) neutralised).
 */
async function predictCsv(
  loaded: LoadedModel,
  csv: string,
  file: string | undefined,
  out: NodeJS.WritableStream,
) {
  const { manifest, learner } = loaded;
  const rows = await bundleRows(loaded, csv, false);
  const predictions = learner.predict(rows.X);
  const labels = manifest.labelNames ?? [];
  const probs = probabilities(predictions, manifest.outputKind);
  const header = ['row', ...labels.map((l) => `probability_${l}`), 'predicted'];
  const lines = probs.map((p, r) => {
    const k = predictedClass(predictions, r, manifest.outputKind);
    return [rows.rowNumbers[r], ...Array.from(p, (v) => v.toFixed(6)), labels[k] ?? String(k)];
  });
  const text = toCsv(header, lines);
  if (file && file !== '-') {
    await writeOutFile('--out', file, text);
    out.write(`wrote ${lines.length} predictions to ${file}\n`);
    if (rows.note) out.write(`${rows.note}\n`);
  } else {
    out.write(text);
    // The CSV owns stdout; what the missing-value policy did goes to stderr.
    if (rows.note) process.stderr.write(`${rows.note}\n`);
  }
  return predictions;
}

/** Runs `descent predict`: loads a bundle, predicts for `--input` rows or a `--csv` file, and writes the predictions. */
export async function runPredict(
  options: { model: string; input?: string; csv?: string; out?: string; maxModelMb?: string },
  out: NodeJS.WritableStream = process.stdout,
): Promise<Matrix> {
  if ((options.input === undefined) === (options.csv === undefined)) {
    throw new UsageError('--input or --csv: expected exactly one of them');
  }
  if (options.out !== undefined) {
    if (options.csv === undefined) throw new UsageError('--out: only with --csv');
    if (options.out !== '-') await checkOutFile('--out', options.out);
  }
  await initBackend();
  const loaded = await loadModel(options.model, options.maxModelMb);
  try {
    return options.csv !== undefined
      ? await predictCsv(loaded, options.csv, options.out, out)
      : predictInput(loaded, options.input as string, out);
  } finally {
    loaded.model.dispose();
  }
}

export function predictCommand(): Command {
  return new Command('predict')
    .description('run a saved model bundle on rows from the command line or a CSV file')
    .requiredOption('--model <dir>', 'a bundle folder written by `descent train --out`')
    .option('--input <rows>', 'comma-separated values; rows separated by ";" for several features')
    .option('--csv <file>', 'raw table rows, for a model trained on a table')
    .option(
      '--out <file.csv>',
      'with --csv: write row, class probabilities and predicted label here (- for stdout)',
    )
    .option('--json', 'print the predictions as one JSON object on stdout (tables and notes go to stderr)')
    .option(MAX_MODEL_MB_FLAG, MAX_MODEL_MB_HELP)
    .option(
      '--image <file>',
      "a PNG (8 or 16 bits) or JPEG of a digit: made grey, inverted if its border is light, resized to the model's input",
    )
    .option('--max-pixels <n>', `--image: ${MAX_PIXELS_HELP}`)
    .action(async (raw) => {
      if (raw.image !== undefined) {
        if (raw.input !== undefined || raw.csv !== undefined)
          throw new UsageError('--image: expected alone, found it with --input or --csv');
        await runPredictImage({
          model: raw.model,
          image: raw.image,
          maxModelMb: raw.maxModelMb,
          maxPixels: parseMaxPixels(raw.maxPixels),
        });
        return;
      }
      if (raw.maxPixels !== undefined) throw new UsageError('--max-pixels: only with --image');
      const { json, ...options } = raw;
      if (json && options.out !== undefined)
        throw new UsageError('--json and --out: expected one of them, found both');
      const predictions = await runPredict(options, reportStream(json));
      if (json) {
        const loaded = await loadModel(options.model, options.maxModelMb);
        loaded.model.dispose();
        writeJson({
          command: 'predict',
          model: options.model,
          labels: loaded.manifest.labelNames ?? null,
          predictions,
        });
      }
    });
}

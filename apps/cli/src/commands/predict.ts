import { initBackend } from '@descent/tensor';
import { type HostMatrix, Learner, predictedClass } from '@descent/train';
import { loadBundle } from '@descent/train/node';
import { Command } from 'commander';
import { parseNumberList } from '../parse';
import { formatTable } from '../table';
import { UsageError } from '../usage-error';

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

export async function runPredict(
  modelDir: string,
  input: string,
  out: NodeJS.WritableStream = process.stdout,
) {
  await initBackend();
  const { model, manifest } = await loadBundle(modelDir);
  try {
    const first = manifest.architecture as { layers?: { inFeatures?: number }[] };
    const features = manifest.featureNames?.length ?? first.layers?.[0]?.inFeatures ?? 1;
    const rows = parseInputRows(input, features);
    const learner = new Learner(model, { loss: manifest.loss, outputKind: manifest.outputKind });
    const predictions = learner.predict(rows);
    const names = manifest.featureNames ?? rows[0].map((_, i) => `x${i}`);
    const header = [
      ...names,
      ...(predictions.cols === 1
        ? [manifest.targetName ?? 'prediction']
        : (manifest.labelNames ?? []).map((l) => `p(${l})`)),
    ];
    const classify = manifest.outputKind !== 'value';
    if (classify) header.push('class');
    const table = rows.map((row, r) => {
      const cells = [
        ...row.map(String),
        ...Array.from(predictions.data.subarray(r * predictions.cols, (r + 1) * predictions.cols), (v) =>
          v.toFixed(4),
        ),
      ];
      if (classify) {
        const k = predictedClass(predictions, r, manifest.outputKind);
        cells.push(manifest.labelNames?.[k] ?? String(k));
      }
      return cells;
    });
    out.write(`${formatTable(header, table)}\n`);
    return predictions;
  } finally {
    model.dispose();
  }
}

export function predictCommand(): Command {
  return new Command('predict')
    .description('run a saved model bundle on rows given on the command line')
    .requiredOption('--model <dir>', 'a bundle folder written by `descent train --out`')
    .requiredOption('--input <rows>', 'comma-separated values; rows separated by ";" for several features')
    .action(async (raw) => {
      await runPredict(raw.model, raw.input);
    });
}

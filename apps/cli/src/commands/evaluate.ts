import { initBackend } from '@descent/tensor';
import { Command } from 'commander';
import { bundleRows, loadModel } from '../bundle-rows';
import { classificationMetrics, formatClassificationReport } from '../classification-report';

/** Loads a table model and prints its metrics and confusion matrix on a labelled CSV. */
export async function runEvaluate(
  options: { model: string; csv: string },
  out: NodeJS.WritableStream = process.stdout,
): Promise<Record<string, number>> {
  await initBackend();
  const loaded = await loadModel(options.model);
  try {
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

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('print the metrics and confusion matrix of a table model on a labelled CSV')
    .requiredOption('--model <dir>', 'a bundle folder written by `descent train --out`')
    .requiredOption('--csv <file>', 'rows with the target column')
    .action(async (raw) => {
      await runEvaluate(raw);
    });
}

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadToyDataset, splitTable, type ToyDatasetName, toyDatasetNames } from '@descent/datasets';
import { activationNames as activations, mlp } from '@descent/layers';
import { initBackend } from '@descent/tensor';
import {
  createOptimizer,
  Learner,
  type LrFindResult,
  optimizerNames,
  scaleNames,
  TabularPreprocessor,
  type TaskHead,
  type TrainingData,
  taskHead,
} from '@descent/train';
import { Command } from 'commander';
import { writeOutFile } from '../output-path';
import { parseChoice, parseNumber, parseWidths } from '../parse';
import { loadTable } from '../recipes/tabular';
import { lrFindReport } from '../report/lr-find-report';
import { tabularDatasets } from '../tabular-data';
import { UsageError } from '../usage-error';

// `descent lr-find`: fast.ai's learning-rate range test on the network `descent train` would build
// for the same flags; it prints the suggested rate and writes the curve as data and as a plot.

/** The curve as CSV (lr,loss) or, for a .json file, as the result object. */
function curveFile(path: string, r: LrFindResult): string {
  if (path.endsWith('.json')) return `${JSON.stringify(r, null, 1)}\n`;
  return `lr,loss\n${r.lrs.map((lr, i) => `${lr},${r.losses[i]}`).join('\n')}\n`;
}

/** The training rows and the head for a toy set or a table, as the train recipes make them. */
async function trainingRows(
  raw: Record<string, string>,
  seed: number,
): Promise<{ data: TrainingData; head: TaskHead; about: string }> {
  if (raw.dataset !== undefined && (toyDatasetNames as readonly string[]).includes(raw.dataset)) {
    const { train } = loadToyDataset(raw.dataset as ToyDatasetName, seed);
    const classes = train.classes?.length ?? 0;
    const head = taskHead({ task: train.task, classes: classes || undefined, targets: train.y });
    return { data: { X: train.X, y: train.y }, head, about: `${raw.dataset}: ${train.X.rows} training rows` };
  }
  const dataset = raw.csv
    ? undefined
    : parseChoice('--dataset', raw.dataset ?? 'penguins', [...toyDatasetNames, ...tabularDatasets]);
  const scale = parseChoice('--scale', raw.scale, scaleNames);
  const { table, target, features } = await loadTable({ ...raw, dataset, categorical: [] } as never);
  const split = splitTable(table, { testSize: 0.2, seed, stratifyBy: target });
  const pre = TabularPreprocessor.create({ scale, missing: 'drop' }).fit(split.train, {
    target,
    features: features?.filter((f) => f !== target),
  });
  const rows = pre.transform(split.train);
  const classes = pre.classes?.length ?? 0;
  const head = taskHead({ task: classes === 2 ? 'binary' : 'multiclass', classes });
  const about = `${raw.csv ?? dataset}: ${rows.X.rows} training rows, target "${target}"`;
  return { data: { X: rows.X, y: rows.y as Float32Array }, head, about };
}

export function lrFindCommand(): Command {
  return new Command('lr-find')
    .description(
      "find a learning rate: fast.ai's range test (the rate rises each batch until the loss diverges)",
    )
    .option(
      '--dataset <name>',
      `a toy set or table: ${[...toyDatasetNames, ...tabularDatasets].join(', ')} (default: penguins)`,
    )
    .option('--csv <file>', 'a CSV file instead (needs --target)')
    .option('--target <column>', 'the CSV column to predict')
    .option('--scale <name>', `input scaling for tables: ${scaleNames.join(', ')}`, 'standard')
    .option('--hidden <widths>', 'hidden layer widths, comma-separated', '32,16')
    .option('--activation <name>', `one of ${activations.join(', ')}`, 'relu')
    .option('--optimizer <name>', `one of ${optimizerNames.join(', ')}`, 'adam')
    .option('--batch-size <n>', 'rows per step', '32')
    .option('--start-lr <number>', 'the first rate', '1e-7')
    .option('--end-lr <number>', 'the last rate', '10')
    .option('--num-iter <n>', 'steps at most', '100')
    .option('--seed <n>', 'seed for weights, split and shuffles', '1')
    .option('--out <file>', 'write the curve: lr,loss as CSV, or the whole result for a .json name')
    .option('--report <file>', 'write an HTML report with the loss-vs-rate plot')
    .action(async (raw) => {
      if (raw.csv && raw.dataset)
        throw new UsageError('--csv and --dataset: expected one of them, found both');
      const seed = parseNumber('--seed', raw.seed, { integer: true, min: 0 });
      const options = {
        startLr: parseNumber('--start-lr', raw.startLr, { positive: true }),
        endLr: parseNumber('--end-lr', raw.endLr, { positive: true }),
        numIter: parseNumber('--num-iter', raw.numIter, { integer: true, min: 2 }),
        batchSize: parseNumber('--batch-size', raw.batchSize, { integer: true, positive: true }),
        seed,
      };
      if (options.endLr <= options.startLr)
        throw new UsageError(
          `--end-lr: expected a rate above --start-lr (${raw.startLr}), found "${raw.endLr}"`,
        );
      await initBackend();
      const { data, head, about } = await trainingRows(raw, seed);
      const model = mlp({
        inputs: (data.X as { cols: number }).cols,
        hidden: parseWidths('--hidden', raw.hidden),
        outputs: head.outputs,
        activation: parseChoice('--activation', raw.activation, activations),
        sigmoidOutput: head.sigmoidOutput,
        seed,
      });
      const optimizer = createOptimizer(
        parseChoice('--optimizer', raw.optimizer, optimizerNames),
        model.trainableParameters(),
        { lr: options.startLr },
      );
      const learner = new Learner(model, { loss: head.loss, optimizer });
      const result = await learner.lrFind(data, options);
      optimizer.dispose();
      model.dispose();
      const out = process.stdout;
      out.write(
        `suggested lr ${Number(result.suggested.toPrecision(3))} (steepest descent of the smoothed loss)\n`,
      );
      out.write(
        `swept      ${result.lrs.length} batches from ${options.startLr} to ${Number(result.lrs[result.lrs.length - 1].toPrecision(3))}` +
          `${result.stopReason === 'diverged' ? ', stopped when the loss diverged' : ''}; ${about}\n`,
      );
      for (const file of [raw.out, raw.report]) if (file) await mkdir(dirname(file), { recursive: true });
      if (raw.out) {
        await writeOutFile('--out', raw.out, curveFile(raw.out, result));
        out.write(`curve      ${raw.out}\n`);
      }
      if (raw.report) {
        await writeOutFile('--report', raw.report, lrFindReport(result, about));
        out.write(`report     ${raw.report}\n`);
      }
    });
}

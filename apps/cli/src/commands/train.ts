import { type ToyDatasetName, toyDatasetNames } from '@descent/datasets';
import { activationNames as activations } from '@descent/layers';
import { optimizerNames, scaleNames } from '@descent/train';
import { Command } from 'commander';
import { MAX_PIXELS_HELP } from '../image-input';
import { reportStream, writeJson } from '../json-output';
import { checkOutBundle, checkOutFile } from '../output-path';
import { limits, parseChoice, parseNumber, parseWidths } from '../parse';
import { imageDatasets, imageTrainOptions, runTrainImages } from '../recipes/image';
import { runTrainTabular } from '../recipes/tabular';
import { type LossFlag, lossFlags, runTrain } from '../recipes/toy';
import { tabularDatasets } from '../tabular-data';
import { UsageError } from '../usage-error';

// `descent train` reads its flags here and hands them to the recipe for the kind of data: toy
// sets (recipes/toy.ts), tables (recipes/tabular.ts) or images (recipes/image.ts). Each recipe
// builds its data, model and optimizer once, and trains through the shared FitSession.

/** Defaults that suit each kind of data: the course's tiny network, or a table-sized one. */
const defaults = {
  toy: { hidden: '2', activation: 'softplus', optimizer: 'sgd', lr: '0.1', epochs: '2000' },
  table: { hidden: '32,16', activation: 'relu', optimizer: 'adam', lr: '0.01', epochs: '50' },
} as const;

export function trainCommand(): Command {
  const allData = [...toyDatasetNames, ...tabularDatasets];
  return new Command('train')
    .description('train a network on a built-in data set or a CSV file and save it as a bundle')
    .option('--dataset <name>', `one of ${[...allData, ...imageDatasets].join(', ')} (default: dosage)`)
    .option('--csv <file>', 'train on a CSV file instead (needs --target)')
    .option('--target <column>', 'the CSV column to predict')
    .option('--task <kind>', 'binary or multiclass (tables)', 'binary')
    .option('--scale <name>', `input scaling for tables: ${scaleNames.join(', ')}`, 'standard')
    .option(
      '--missing <policy>',
      'missing values in tables: drop the rows, impute the training mean (mode for text) or error; kept in the bundle for predict, evaluate and explain',
      'drop',
    )
    .option('--categorical <columns>', 'CSV columns to read as text even if they look numeric')
    .option('--test-size <fraction>', 'held-out share of a table, stratified', '0.2')
    .option(
      '--hidden <widths>',
      'hidden layer widths, comma-separated (default: 2; tables 32,16; image CNNs: dense layers before the output)',
    )
    .option('--activation <name>', `one of ${activations.join(', ')} (default: softplus; tables relu)`)
    .option('--loss <name>', `one of ${Object.keys(lossFlags).join(', ')} (default: by task)`)
    .option('--optimizer <name>', `one of ${optimizerNames.join(', ')} (default: sgd; tables adam)`)
    .option(
      '--lr <number>',
      'learning rate (default: 0.1; tables 0.01; images: peak of one-cycle adam, cnn 0.01)',
    )
    .option('--epochs <n>', 'passes over the training set (default: 2000; tables 50; images: cnn 6, mlp 5)')
    .option('--batch-size <n>', 'rows per gradient step (default: 32)')
    .option('--images <dir>', 'train on a folder of class sub-folders of PNG/JPEG images (like ImageFolder)')
    .option('--size <h,w>', '--images: resize every image to height,width (default: their own size)')
    .option('--rgb', '--images: keep three colour channels (default: grey)')
    .option('--max-pixels <n>', `--images: ${MAX_PIXELS_HELP}`)
    .option('--data-dir <dir>', 'mnist, fashion-mnist: a folder with the four IDX files (.gz or not)')
    .option('--model <kind>', 'images: cnn or mlp (default: cnn)')
    .option('--channels <widths>', "images: the CNN's channels per conv block (default: 8,16)")
    .option('--shift <pixels>', 'images: random shifts of up to this many pixels (default: cnn 1, mlp 0)')
    .option('--limit <n>', 'images: train on the first n training images only (quick runs)')
    .option('--workers <n>', 'images: threads to train on, data-parallel (default: 1)')
    .option('--seed <n>', 'seed for weights, splits and shuffles', '1')
    .option('--out <dir>', 'write the trained model bundle here')
    .option(
      '--report <file>',
      'images: write an HTML report (confusion matrix, worst-classified test images)',
    )
    .option(
      '--checkpoint <dir>',
      'tables, toy sets: save the best epoch (validation loss, else training loss) and the last as bundles in DIR/best, DIR/last',
    )
    .option('--log-csv <file>', 'tables, toy sets: write one CSV row per epoch (epoch, loss, metrics, lr)')
    .option('--quiet', 'no progress bar', false)
    .option(
      '--json',
      'print the result (history, test metrics, bundle) as one JSON object on stdout; the report goes to stderr',
    )
    .addHelpText(
      'after',
      '\nCtrl-C or SIGTERM: the last finished epoch is saved in OUT.interrupted beside --out (exit 130; twice quits at once).' +
        '\nA loss that turns NaN or infinite: the last good weights are saved at --out, marked "diverged" (exit 1).',
    )
    .action(async ({ json, ...raw }) => {
      const report = reportStream(json);
      const done = (result: unknown) => {
        if (json) writeJson({ command: 'train', out: raw.out ?? null, result });
      };
      if (raw.out !== undefined) await checkOutBundle('--out', raw.out);
      if (raw.report !== undefined) await checkOutFile('--report', raw.report);
      if (raw.csv && raw.dataset)
        throw new UsageError('--csv and --dataset: expected one of them, found both');
      if (raw.csv && raw.images) throw new UsageError('--csv and --images: expected one of them, found both');
      if (imageDatasets.includes(raw.dataset) || raw.images !== undefined) {
        if (raw.checkpoint !== undefined || raw.logCsv !== undefined)
          throw new UsageError('--checkpoint, --log-csv: for tables and toy sets (not yet for images)');
        done(await runTrainImages(imageTrainOptions(raw), report));
        return;
      }
      for (const flag of [
        'model',
        'channels',
        'shift',
        'limit',
        'workers',
        'dataDir',
        'report',
        'size',
        'rgb',
      ] as const) {
        if (raw[flag] !== undefined)
          throw new UsageError(
            `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: only for image data sets (${imageDatasets.join(', ')})`,
          );
      }
      const tabular = raw.csv !== undefined || tabularDatasets.includes(raw.dataset);
      const d = tabular ? defaults.table : defaults.toy;
      const common = {
        hidden: parseWidths('--hidden', raw.hidden ?? d.hidden),
        activation: parseChoice('--activation', raw.activation ?? d.activation, activations),
        optimizer: parseChoice('--optimizer', raw.optimizer ?? d.optimizer, optimizerNames),
        lr: parseNumber('--lr', raw.lr ?? d.lr, { positive: true }),
        epochs: parseNumber('--epochs', raw.epochs ?? d.epochs, {
          integer: true,
          positive: true,
          max: limits.epochs,
        }),
        batchSize: parseNumber('--batch-size', raw.batchSize ?? '32', {
          integer: true,
          positive: true,
          max: limits.batchSize,
        }),
        seed: parseNumber('--seed', raw.seed, { integer: true, min: 0, max: limits.seed }),
        out: raw.out,
        quiet: raw.quiet,
        checkpoint: raw.checkpoint,
        logCsv: raw.logCsv,
      };
      if (tabular) {
        if (raw.loss !== undefined)
          throw new UsageError('--loss: tables use bce (binary) or cross-entropy (multiclass); leave it out');
        const testSize = parseNumber('--test-size', raw.testSize, { positive: true });
        if (testSize >= 1)
          throw new UsageError(`--test-size: expected a fraction between 0 and 1, found "${raw.testSize}"`);
        const result = await runTrainTabular(
          {
            ...common,
            csv: raw.csv,
            dataset: raw.csv ? undefined : parseChoice('--dataset', raw.dataset, tabularDatasets),
            target: raw.target,
            task: parseChoice('--task', raw.task, ['binary', 'multiclass'] as const),
            scale: parseChoice('--scale', raw.scale, scaleNames),
            missing: parseChoice('--missing', raw.missing, ['drop', 'mean', 'error'] as const),
            categorical: raw.categorical
              ? String(raw.categorical)
                  .split(',')
                  .map((c) => c.trim())
              : [],
            testSize,
          },
          report,
        );
        done(result);
        return;
      }
      const dataset = parseChoice('--dataset', raw.dataset ?? 'dosage', [
        ...allData,
        ...imageDatasets,
      ]) as ToyDatasetName;
      const history = await runTrain(
        {
          ...common,
          dataset,
          // Left out, the recipe picks the loss from the data set's task.
          loss:
            raw.loss === undefined
              ? undefined
              : parseChoice('--loss', raw.loss, Object.keys(lossFlags) as LossFlag[]),
        },
        report,
      );
      done({ history });
    });
}

import { resolve } from 'node:path';
import { registerCnnModules } from '@descent/cnn';
import type { Explanation, LinkName } from '@descent/shap';
import { initBackend } from '@descent/tensor';
import { Command } from 'commander';
import { version } from '../../package.json';
import { loadModel } from '../bundle-rows';
import { explainImageFile, type ImageBaseline, imageBaselines } from '../explain/explain-image';
import { type BackgroundMethod, backgroundMethods, explainTable } from '../explain/explain-table';
import { type MethodName, methodNames } from '../explain/explainer-factory';
import { checkWritable, writeOutputs } from '../explain/output-files';
import { parseRowRange, type RowRange } from '../explain/row-range';
import { MAX_PIXELS_HELP, parseMaxPixels } from '../image-input';
import { MAX_MODEL_MB_FLAG, MAX_MODEL_MB_HELP } from '../model-limit';
import { limits, parseChoice, parseNumber } from '../parse';
import { imageReport } from '../report/image-report';
import { tableReport } from '../report/table-report';
import { valuesCsv } from '../report/values-csv';
import { UsageError } from '../usage-error';

/** The inputs of `descent explain`: a saved model and the rows or image to explain. */
export interface ExplainOptions {
  model: string;
  /** `--max-model-mb` as typed. */
  maxModelMb?: string;
  /** Raw table rows (a table model), or … */
  csv?: string;
  /** … a PNG or JPEG (an image model). */
  image?: string;
  /** Images: the most pixels the file may declare; default DEFAULT_MAX_PIXELS. */
  maxPixels?: number;
  /** Default rows 0:20. */
  rows?: RowRange;
  /** Default 'kernel'. */
  method?: MethodName;
  nsamples?: number | 'auto';
  /** Background rows or k-means centres; default 100. */
  background?: number;
  /** Default 'sample'. */
  backgroundMethod?: BackgroundMethod;
  seed?: number;
  link?: LinkName;
  /** Multiclass tables: the class whose probability is explained. */
  className?: string;
  patchSize?: number;
  /** Images: what hidden patches show; default 'mean'. */
  baseline?: ImageBaseline;
  /** The HTML report. */
  out: string;
  /** The SHAP values as CSV. */
  values?: string;
  quiet?: boolean;
  /** Waterfalls in a table report; default 10. */
  maxWaterfalls?: number;
}

/** What `descent explain` produced: the SHAP explanation and where its output went. */
export interface ExplainSummary {
  kind: 'table' | 'image';
  /** The explained output, one player per raw column (tables) or patch (images). */
  explanation: Explanation;
  out: string;
  values?: string;
}

function refuse(flags: [string, unknown][], why: string): void {
  const given = flags.filter(([, v]) => v !== undefined).map(([f]) => f);
  if (given.length) throw new UsageError(`${given.join(', ')}: ${why}`);
}

async function checkOptions(o: ExplainOptions): Promise<void> {
  if ((o.csv === undefined) === (o.image === undefined)) {
    throw new UsageError(
      '--csv or --image: expected exactly one of them (table rows or a picture to explain)',
    );
  }
  if (o.image !== undefined) {
    refuse(
      [
        ['--rows', o.rows],
        ['--background', o.background],
        ['--background-method', o.backgroundMethod],
        ['--class', o.className],
      ],
      'only for --csv (an image explains its predicted class, with patches hidden behind --baseline)',
    );
  } else {
    refuse(
      [
        ['--patch-size', o.patchSize],
        ['--baseline', o.baseline],
        ['--max-pixels', o.maxPixels],
      ],
      'only for --image',
    );
  }
  await checkWritable('--out', o.out);
  if (o.values !== undefined) {
    await checkWritable('--values', o.values);
    if (resolve(o.values) === resolve(o.out)) {
      throw new UsageError(`--values and --out: expected two different files, found ${o.out} twice`);
    }
  }
}

/**
 * Explains a saved model's predictions with SHAP and writes a self-contained HTML report (and
 * optionally the values as CSV): table rows in the raw column space, or one image by patches.
 */
export async function runExplain(
  options: ExplainOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<ExplainSummary> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  await checkOptions(options);
  const method = options.method ?? 'kernel';
  const nsamples = options.nsamples ?? 'auto';
  const seed = options.seed ?? 1;
  const link = options.link ?? 'identity';
  await initBackend();
  // Image bundles hold Conv2d & co.; fromConfig must know them before loading.
  registerCnnModules();
  const loaded = await loadModel(options.model, options.maxModelMb);
  try {
    if (options.image !== undefined) {
      const baseline = options.baseline ?? 'mean';
      const explained = await explainImageFile(
        loaded,
        {
          image: options.image,
          method,
          nsamples,
          patchSize: options.patchSize,
          baseline,
          seed,
          link,
          quiet: options.quiet,
          maxPixels: options.maxPixels,
        },
        log,
      );
      const r = explained.result;
      const html = imageReport({
        modelDir: options.model,
        manifest: loaded.manifest,
        image: options.image,
        explained,
        baseline,
        link,
        seed,
        version,
      });
      const files: [string, string][] = [[options.out, html]];
      if (options.values) {
        const e = r.explanation.output(r.output);
        files.unshift([
          options.values,
          valuesCsv({
            rows: [options.image],
            baseValues: e.baseValues,
            featureNames: e.featureNames.map((n) => n.replace(/^patch \((\d+), (\d+)\)$/, 'patch_$1_$2')),
            values: e.values,
            predictions: [r.outputValue],
            predictedLabels: [explained.classNames[r.output]],
          }),
        ]);
      }
      await writeOutputs(files);
      out.write(
        `wrote ${options.out}${options.values ? ` and ${options.values}` : ''}: predicted ${explained.classNames[r.output]}\n`,
      );
      return {
        kind: 'image',
        explanation: r.explanation.output(r.output),
        out: options.out,
        values: options.values,
      };
    }
    const explained = await explainTable(loaded, {
      csv: options.csv as string,
      rows: options.rows ?? { start: 0, end: 20 },
      method,
      nsamples,
      background: options.background ?? 100,
      backgroundMethod: options.backgroundMethod ?? 'sample',
      seed,
      link,
      className: options.className,
      quiet: options.quiet,
    });
    const html = tableReport({
      modelDir: options.model,
      manifest: loaded.manifest,
      csv: options.csv as string,
      explained,
      link,
      seed,
      version,
      valuesFile: options.values,
      maxWaterfalls: options.maxWaterfalls,
    });
    const files: [string, string][] = [[options.out, html]];
    if (options.values) {
      const e = explained.explanation;
      files.unshift([
        options.values,
        valuesCsv({
          rows: explained.positions,
          baseValues: e.baseValues,
          featureNames: e.featureNames,
          values: e.values,
          predictions: explained.predictions,
          predictedLabels: explained.predictedLabels,
        }),
      ]);
    }
    await writeOutputs(files);
    out.write(
      `wrote ${options.out}${options.values ? ` and ${options.values}` : ''}: ${explained.explanation.rows} rows, ${explained.columns.names.length} columns, ${explained.outputName}\n`,
    );
    if (explained.missingNote) out.write(`${explained.missingNote}\n`);
    return { kind: 'table', explanation: explained.explanation, out: options.out, values: options.values };
  } catch (err) {
    // float32 probabilities saturate at exactly 0 or 1 for confident rows, where log-odds are infinite.
    if (err instanceof Error && err.message.startsWith('link "logit"')) {
      throw new UsageError(
        `--link logit: ${err.message}; the model is certain about some row, use --link identity`,
      );
    }
    throw err;
  } finally {
    loaded.model.dispose();
  }
}

function parseNsamples(raw: string): number | 'auto' {
  return raw === 'auto'
    ? 'auto'
    : parseNumber('--nsamples', raw, { integer: true, min: 2, max: limits.nsamples });
}

export function explainCommand(): Command {
  return new Command('explain')
    .description('explain a saved model’s predictions with SHAP in a self-contained HTML report')
    .requiredOption('--model <dir>', 'a bundle folder written by `descent train --out`')
    .option('--csv <file>', 'raw table rows, for a model trained on a table')
    .option(MAX_MODEL_MB_FLAG, MAX_MODEL_MB_HELP)
    .option('--image <file>', 'a PNG or JPEG picture, for an image model (e.g. a 28×28 digit)')
    .option('--max-pixels <n>', `--image: ${MAX_PIXELS_HELP}`)
    .option(
      '--rows <range>',
      'CSV rows to explain: start:end, 0 = first data row, end excluded (default: 0:20)',
    )
    .option('--method <name>', `${methodNames.join(', ')}`, 'kernel')
    .option(
      '--nsamples <n>',
      'kernel: coalitions per row (auto = 2M + 2048); permutation: model evaluations per row (auto = 500)',
      'auto',
    )
    .option(
      '--background <n>',
      'tables: background rows sampled from the CSV, or k-means centres (default: 100)',
    )
    .option(
      '--background-method <how>',
      'tables: sample (real rows, seeded; default) or kmeans (weighted centres, as shap.kmeans)',
    )
    .option('--seed <n>', 'seed of the background sample and the coalition sampling', '1')
    .option('--link <name>', 'identity (probabilities) or logit (log-odds)', 'identity')
    .option(
      '--class <label>',
      'multiclass tables: the class whose probability is explained (default: the most predicted)',
    )
    .option('--patch-size <n>', 'images: side of the square patches hidden together (default: 4 for 28×28)')
    .option(
      '--baseline <kind>',
      `images: what a hidden patch shows: ${imageBaselines.join(', ')} (default: mean)`,
    )
    .requiredOption('--out <file.html>', 'write the HTML report here')
    .option('--values <file.csv>', 'also write row, base_value, one SHAP value per column, prediction')
    .option('--quiet', 'no progress bar', false)
    .addHelpText(
      'after',
      '\nTables are explained per raw column (one-hot columns of a category grouped): base_value + Σ values = prediction.' +
        '\nBinary models explain P(second class); multiclass ones one class (--class). --link logit works in log-odds.',
    )
    .action(async (raw) => {
      await runExplain({
        model: raw.model,
        maxModelMb: raw.maxModelMb,
        csv: raw.csv,
        image: raw.image,
        maxPixels: parseMaxPixels(raw.maxPixels),
        rows: raw.rows === undefined ? undefined : parseRowRange(raw.rows),
        method: parseChoice('--method', raw.method, methodNames),
        nsamples: parseNsamples(raw.nsamples),
        background:
          raw.background === undefined
            ? undefined
            : parseNumber('--background', raw.background, {
                integer: true,
                positive: true,
                max: limits.background,
              }),
        backgroundMethod:
          raw.backgroundMethod === undefined
            ? undefined
            : parseChoice('--background-method', raw.backgroundMethod, backgroundMethods),
        seed: parseNumber('--seed', raw.seed, { integer: true, min: 0, max: limits.seed }),
        link: parseChoice('--link', raw.link, ['identity', 'logit'] as const),
        className: raw.class,
        patchSize:
          raw.patchSize === undefined
            ? undefined
            : parseNumber('--patch-size', raw.patchSize, { integer: true, positive: true }),
        baseline:
          raw.baseline === undefined ? undefined : parseChoice('--baseline', raw.baseline, imageBaselines),
        out: raw.out,
        values: raw.values,
        quiet: raw.quiet,
      });
    });
}

import { Explanation, kmeansBackground, type LinkName, type Matrix, sampleBackground } from '@descent/shap';
import { bundleRows, type LoadedModel } from '../bundle-rows';
import { readUserCsv } from '../tabular-data';
import { UsageError } from '../usage-error';
import { describeMethod, type MethodName, makeExplainer } from './explainer-factory';
import { modelFunction } from './model-function';
import { type RawColumns, type RawRow, rawColumns, rawRows } from './raw-columns';
import { rowProgress } from './row-progress';
import { type RowRange, selectRows } from './row-range';

export const backgroundMethods = ['sample', 'kmeans'] as const;
export type BackgroundMethod = (typeof backgroundMethods)[number];

export interface TableExplainSettings {
  csv: string;
  rows: RowRange;
  method: MethodName;
  nsamples: number | 'auto';
  /** Background rows (sample) or centres (kmeans). */
  background: number;
  backgroundMethod: BackgroundMethod;
  seed: number;
  link: LinkName;
  /** The class whose probability is explained (multiclass); default: the most often predicted one. */
  className?: string;
  quiet?: boolean;
}

export interface TableExplainResult {
  /** The explained output, one player per raw column; `data` holds the colour values of RawRow. */
  explanation: Explanation;
  columns: RawColumns;
  raw: RawRow[];
  /** Each explained row's position in the CSV (0 = first data row), as --rows counts. */
  positions: number[];
  /** f(x) of the explained output in link space, from a separate model call (not from the SHAP values). */
  predictions: number[];
  /** f(x) as a probability (or value), before the link. */
  outputs: number[];
  /** The predicted class of each row (classification). */
  predictedLabels?: string[];
  /** E.g. `P(sex = MALE)`. */
  outputName: string;
  methodDetail: string;
  backgroundDetail: string;
  csvRows: number;
  dropped: number;
  /** What the bundle's missing-value policy did to the CSV's rows, if anything. */
  missingNote?: string;
}

function gather(X: Matrix, rows: number[]): Matrix {
  const data = new Float32Array(rows.length * X.cols);
  rows.forEach((r, i) => {
    data.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), i * X.cols);
  });
  return { data, rows: rows.length, cols: X.cols };
}

function argmax(values: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (values[offset + k] > values[offset + best]) best = k;
  return best;
}

/** The output names of a table model, one per column its model function returns. */
function outputNamesOf(loaded: LoadedModel, cols: number): string[] {
  const { manifest } = loaded;
  const target = manifest.targetName ?? 'target';
  const labels = manifest.labelNames ?? [];
  if (manifest.outputKind === 'value') {
    return cols === 1 ? [target] : Array.from({ length: cols }, (_, k) => `${target}[${k}]`);
  }
  if (cols === 1) return [`P(${target} = ${labels[1] ?? '1'})`];
  return Array.from({ length: cols }, (_, k) => `P(${target} = ${labels[k] ?? k})`);
}

/** Runs SHAP on raw CSV rows of a table model, in the raw column space (one-hot blocks grouped). */
export async function explainTable(
  loaded: LoadedModel,
  settings: TableExplainSettings,
): Promise<TableExplainResult> {
  const { manifest, preprocessor } = loaded;
  const prepared = await bundleRows(loaded, settings.csv, false);
  if (!preprocessor) throw new UsageError('--csv: this model was not trained on a table');
  const table = await readUserCsv(settings.csv);
  const selected = selectRows(prepared.rowNumbers, settings.rows, settings.csv, table.rows);
  const columns = rawColumns(preprocessor.encoder.features);
  const inputs = columns.groups.reduce((s, g) => s + g.length, 0);
  if (inputs !== prepared.X.cols) {
    throw new Error(
      `${settings.csv}: the preprocessor gave ${prepared.X.cols} model inputs, expected ${inputs}`,
    );
  }
  const kind = manifest.outputKind;
  if (settings.link === 'logit' && kind === 'value') {
    throw new UsageError(
      '--link logit: expected a classifier (its outputs are probabilities), found a regression model',
    );
  }
  const model = modelFunction(loaded.model, { outputKind: kind });
  const X = gather(prepared.X, selected);
  const out = model(X);
  const outputNames = outputNamesOf(loaded, out.cols);
  const labels = manifest.labelNames ?? [];
  let predictedLabels: string[] | undefined;
  if (kind !== 'value') {
    predictedLabels = Array.from({ length: out.rows }, (_, r) => {
      const k = out.cols === 1 ? (out.data[r] >= 0.5 ? 1 : 0) : argmax(out.data, r * out.cols, out.cols);
      return labels[k] ?? String(k);
    });
  }
  const outputIndex = chooseOutput(
    out.cols,
    labels,
    predictedLabels,
    settings.className,
    manifest.targetName,
  );

  const n = Math.min(settings.background, prepared.X.rows);
  const background =
    settings.backgroundMethod === 'kmeans'
      ? kmeansBackground(prepared.X, n, { seed: settings.seed })
      : sampleBackground(prepared.X, n, { seed: settings.seed });
  const backgroundDetail =
    settings.backgroundMethod === 'kmeans'
      ? `${n} k-means centres (weighted by cluster size) of the ${prepared.X.rows} usable rows of ${settings.csv}`
      : `${n} rows sampled (seed ${settings.seed}) from the ${prepared.X.rows} usable rows of ${settings.csv}`;

  const explainer = makeExplainer(
    settings.method,
    model,
    background,
    {
      groups: columns.groups,
      featureNames: columns.names,
      outputNames,
      link: settings.link,
      batchSize: 4096,
      dtype: 'float32',
      seed: settings.seed,
    },
    settings.nsamples,
  );
  const progress = rowProgress(`explaining (${settings.method})`, { quiet: settings.quiet });
  let full: Explanation;
  try {
    full = await explainer.explain(X, { onProgress: (p) => progress.update(p), seed: settings.seed });
  } finally {
    progress.stop();
  }
  const tableIndex = new Map<number, number>();
  table.rowNumbers.forEach((number, i) => {
    tableIndex.set(number, i);
  });
  const raw = rawRows(
    table,
    selected.map((r) => tableIndex.get(prepared.rowNumbers[r]) ?? -1),
    columns.features,
  );
  const chosen = full.output(outputIndex).toJSON();
  const explanation = new Explanation({ ...chosen, data: raw.map((r) => r.colour) });
  const outputs = Array.from({ length: out.rows }, (_, r) => out.data[r * out.cols + outputIndex]);
  return {
    explanation,
    columns,
    raw,
    positions: selected.map((r) => prepared.rowNumbers[r] - 1),
    predictions: outputs.map((p) => (settings.link === 'logit' ? Math.log(p / (1 - p)) : p)),
    outputs,
    predictedLabels,
    outputName: outputNames[outputIndex],
    methodDetail: describeMethod(settings.method, settings.nsamples, columns.names.length),
    backgroundDetail,
    csvRows: table.rows,
    dropped: prepared.dropped,
    missingNote: prepared.note,
  };
}

/**
 * Which model output the report explains. Binary: the one output, P(second class). Multiclass:
 * --class, or else the class predicted most often among the explained rows (ties: the first).
 */
function chooseOutput(
  cols: number,
  labels: string[],
  predicted: string[] | undefined,
  className: string | undefined,
  target = 'target',
): number {
  if (className !== undefined) {
    const index = cols === 1 ? (labels[1] === className ? 0 : -1) : labels.indexOf(className);
    if (index < 0) {
      const allowed = cols === 1 ? labels.slice(1) : labels;
      throw new UsageError(
        `--class: expected ${cols === 1 ? 'the positive class of' : 'one of the classes of'} "${target}" (${allowed.map((l) => `"${l}"`).join(', ')}), found "${className}"`,
      );
    }
    return index;
  }
  if (cols === 1 || !predicted) return 0;
  const counts = labels.map((l) => predicted.filter((p) => p === l).length);
  return argmax(counts, 0, counts.length);
}

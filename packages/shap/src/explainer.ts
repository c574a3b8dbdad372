import { Generator, mixSeed } from '@descent/random';
import { type Background, toBackground } from './background.js';
import { argumentError, checkSeed } from './errors.js';
import { Explanation } from './explanation.js';
import { type Link, type LinkName, toLink } from './link.js';
import { type Dense, type MatrixInput, toDense } from './matrix.js';
import {
  type CallSettings,
  checkBatchSize,
  checkDtype,
  checkModel,
  evaluateMasks,
  type Model,
  predict,
  throwIfAborted,
} from './model.js';

/** Progress of an explanation, reported as rows finish. */
export interface Progress {
  /** Rows explained so far. */
  done: number;
  total: number;
}

/** Per-call settings; any of them may also be given to the constructor. */
export interface ExplainOptions {
  /** Called after each explained row. */
  onProgress?: (progress: Progress) => void;
  /** Cancels between model calls; explain() then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Seed of the coalition or permutation sampling. Default 0. */
  seed?: number;
}

export interface ExplainerOptions extends ExplainOptions {
  /** 'logit' explains probabilities in log-odds (applied after averaging over the background). Default 'identity'. */
  link?: LinkName;
  /** Most rows per model call. Default 1024. */
  batchSize?: number;
  /** Element type of the matrices given to the model. Default 'float64'. */
  dtype?: 'float64' | 'float32';
  /** One name per feature (per group when `groups` is given). */
  featureNames?: string[];
  /** One name per model output. */
  outputNames?: string[];
  /** Weights of the background rows (normalised to sum to 1). A `kmeansBackground` result carries its own. */
  backgroundWeights?: ArrayLike<number>;
  /** Explain groups of columns as single players: every column in exactly one group. One value per group. */
  groups?: number[][];
}

/** What an explainer's algorithm sees for one row. */
export interface RowTask {
  /** Players (features or groups) whose values differ from the background somewhere; the others get exactly 0. */
  varying: Int32Array;
  outputs: number;
  link: Link;
  /** link(f(x)) per output. */
  fx: Float64Array;
  /** link(E[f(background)]) per output. */
  fnull: Float64Array;
  rng: Generator;
  /**
   * Coalition values over the varying players: `masks` holds nMasks × varying.length 0/1 entries;
   * returns nMasks × outputs values, averaged over the background and then linked.
   */
  evaluate(masks: Uint8Array, nMasks: number): Promise<Float64Array>;
}

function toGroups(groups: unknown, cols: number): Int32Array[] {
  if (groups === undefined) return Array.from({ length: cols }, (_, j) => Int32Array.of(j));
  if (!Array.isArray(groups) || groups.length === 0)
    throw argumentError('groups', 'a non-empty array of column lists', groups);
  const seen = new Int32Array(cols).fill(-1);
  const out = groups.map((g, i) => {
    if (!Array.isArray(g) || g.length === 0)
      throw argumentError(`groups[${i}]`, 'a non-empty array of column indices', g);
    for (const c of g) {
      if (!Number.isInteger(c) || c < 0 || c >= cols)
        throw argumentError(`groups[${i}]`, `column indices in [0, ${cols})`, g);
      if (seen[c] >= 0)
        throw argumentError(`groups[${i}]`, `columns not already in groups[${seen[c]}]`, `column ${c}`);
      seen[c] = i;
    }
    return Int32Array.from(g);
  });
  const missing = seen.indexOf(-1);
  if (missing >= 0)
    throw argumentError('groups', 'every column in exactly one group', `column ${missing} in none`);
  return out;
}

function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** The shared machinery: input checks, E[f(background)], batching, links, progress, cancellation. */
export abstract class Explainer {
  protected readonly model: Model;
  protected readonly background: Background;
  protected readonly link: Link;
  protected readonly players: Int32Array[];
  protected readonly options: ExplainerOptions;
  private readonly settings: Omit<CallSettings, 'signal'>;
  private baseline?: Promise<Float64Array>;

  constructor(model: Model, background: MatrixInput, options: ExplainerOptions = {}) {
    if (options === null || typeof options !== 'object') throw argumentError('options', 'an object', options);
    this.model = checkModel(model);
    this.background = toBackground(background, options.backgroundWeights);
    this.link = toLink(options.link);
    this.settings = {
      model: this.model,
      batchSize: checkBatchSize(options.batchSize),
      dtype: checkDtype(options.dtype),
    };
    this.players = toGroups(options.groups, this.background.data.cols);
    if (options.featureNames !== undefined) {
      const names = options.featureNames;
      if (
        !Array.isArray(names) ||
        names.length !== this.players.length ||
        names.some((n) => typeof n !== 'string')
      ) {
        throw argumentError(
          'featureNames',
          `${this.players.length} strings (one per ${options.groups ? 'group' : 'column'})`,
          names,
        );
      }
    }
    if (options.seed !== undefined) checkSeed(options.seed);
    this.options = options;
  }

  /** Number of players: columns, or groups when `groups` was given. */
  get features(): number {
    return this.players.length;
  }

  /** link(E[f(background)]) per output: every row's base value. Computed once, shared with explain(). */
  async expectedValue(signal?: AbortSignal): Promise<number[]> {
    return Array.from(await this.fnullRaw(signal), (v) => this.link.f(v));
  }

  private fnullRaw(signal?: AbortSignal): Promise<Float64Array> {
    if (!this.baseline) {
      const { data, weights } = this.background;
      this.baseline = predict({ ...this.settings, signal }, data).then((out) => {
        const mean = new Float64Array(out.cols);
        for (let i = 0; i < out.rows; i++)
          for (let k = 0; k < out.cols; k++) mean[k] += weights[i] * out.data[i * out.cols + k];
        return mean;
      });
      // A failed or aborted start must not poison later calls.
      this.baseline.catch(() => {
        this.baseline = undefined;
      });
    }
    return this.baseline;
  }

  /** Explains each row of X (a matrix, rows, or one row as a flat array). */
  async explain(X: MatrixInput, options: ExplainOptions = {}): Promise<Explanation> {
    const opts = { ...this.options, ...options };
    const seed = checkSeed(opts.seed ?? 0);
    if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') {
      throw argumentError('onProgress', 'a function ({ done, total }) => void', opts.onProgress);
    }
    const bg = this.background.data;
    const x = toDense(X, 'X');
    if (x.rows === 0) throw argumentError('X', 'at least one row', '0 rows');
    if (x.cols !== bg.cols)
      throw argumentError('X', `${bg.cols} columns (as in the background)`, `${x.cols} columns`);
    const signal = opts.signal;
    throwIfAborted(signal);
    const settings: CallSettings = { ...this.settings, signal };
    const fnullRaw = await this.fnullRaw(signal);
    const outputs = fnullRaw.length;
    const fxRaw = await predict(settings, x, outputs);
    const fnull = fnullRaw.map((v) => this.link.f(v));
    const G = this.players.length;
    const values: number[][][] = [];
    for (let i = 0; i < x.rows; i++) {
      throwIfAborted(signal);
      const xi = x.data.slice(i * x.cols, (i + 1) * x.cols);
      const varying = this.varyingPlayers(xi);
      const fx = fxRaw.data.slice(i * outputs, (i + 1) * outputs).map((v) => this.link.f(v));
      const task: RowTask = {
        varying,
        outputs,
        link: this.link,
        fx,
        fnull,
        rng: new Generator(mixSeed(seed, i)),
        evaluate: async (masks, nMasks) => {
          const sub = Array.from(varying, (p) => this.players[p]);
          const raw = await evaluateMasks(
            settings,
            xi,
            bg,
            this.background.weights,
            sub,
            masks,
            nMasks,
            outputs,
          );
          for (let j = 0; j < raw.length; j++) raw[j] = this.link.f(raw[j]);
          return raw;
        },
      };
      const phi = new Float64Array(G * outputs);
      if (varying.length === 1) {
        for (let k = 0; k < outputs; k++) phi[varying[0] * outputs + k] = fx[k] - fnull[k];
      } else if (varying.length > 1) {
        const local = await this.explainRow(task);
        for (let v = 0; v < varying.length; v++) {
          for (let k = 0; k < outputs; k++) phi[varying[v] * outputs + k] = local[v * outputs + k];
        }
      }
      values.push(
        Array.from({ length: G }, (_, g) => Array.from(phi.subarray(g * outputs, (g + 1) * outputs))),
      );
      opts.onProgress?.({ done: i + 1, total: x.rows });
    }
    return new Explanation({
      values,
      baseValues: values.map(() => Array.from(fnull)),
      data: this.rowData(x),
      featureNames: opts.featureNames,
      outputNames: opts.outputNames,
      link: this.link.name,
    });
  }

  /**
   * Shapley values of the varying players (task.varying.length ≥ 2) for every output:
   * varying.length × outputs, in link space, summing to fx − fnull per output.
   */
  protected abstract explainRow(task: RowTask): Promise<Float64Array>;

  private varyingPlayers(x: Float64Array): Int32Array {
    const { data, rows, cols } = this.background.data;
    const out: number[] = [];
    for (let p = 0; p < this.players.length; p++) {
      const feats = this.players[p];
      let varies = false;
      for (let f = 0; f < feats.length && !varies; f++) {
        const c = feats[f];
        for (let b = 0; b < rows; b++) {
          if (!sameValue(x[c], data[b * cols + c])) {
            varies = true;
            break;
          }
        }
      }
      if (varies) out.push(p);
    }
    return Int32Array.from(out);
  }

  /** A group's data value is the mean of its columns (so plots can colour by it). */
  private rowData(x: Dense): number[][] {
    return Array.from({ length: x.rows }, (_, i) =>
      this.players.map((feats) => {
        let s = 0;
        for (let f = 0; f < feats.length; f++) s += x.data[i * x.cols + feats[f]];
        return s / feats.length;
      }),
    );
  }
}

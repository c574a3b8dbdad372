import { argumentError } from './errors.js';
import type { LinkName } from './link.js';

/** What an Explanation is built from: SHAP values, base values, the explained data and names. */
export interface ExplanationInit {
  /** SHAP values: [row][feature][output], or [row][feature] for a single-output model. */
  values: number[][][] | number[][];
  /** E[f(background)] in link space: [row][output], [row] for one output, or one number for every row. */
  baseValues: number[][] | number[] | number;
  /** The explained rows' feature values: [row][feature]. Default NaN (unknown). */
  data?: number[][];
  featureNames?: string[];
  outputNames?: string[];
  /** Which output `values` and `baseValues` describe. Default 0. */
  outputIndex?: number;
  link?: LinkName;
}

/** One explained row of one output. */
export interface ExplanationRow {
  values: number[];
  baseValue: number;
  /** baseValue + Σ values: the model output for this row, in link space. */
  outputValue: number;
  data: number[];
  featureNames: string[];
}

/**
 * SHAP values for a set of rows. `values[row][feature]` and `baseValues[row]` describe one output of the
 * model (`outputIndex`, 0 by default); `output(k)` gives the same explanation for output k and `allValues()`
 * the full [row][feature][output] array (shap's layout for multi-output models). Every row adds up:
 * baseValues[row] + Σ values[row] = link(f(x_row)).
 */
export class Explanation {
  readonly values: number[][];
  readonly baseValues: number[];
  readonly data: number[][];
  readonly featureNames: string[];
  readonly outputNames: string[];
  readonly outputIndex: number;
  readonly link: LinkName;
  private readonly all: number[][][];
  private readonly allBase: number[][];

  constructor(init: ExplanationInit) {
    if (!init || !Array.isArray(init.values))
      throw argumentError('values', 'an array [row][feature](output)', init?.values);
    const rows = init.values.length;
    const first = init.values[0];
    const features = rows > 0 ? (first as unknown[]).length : (init.featureNames?.length ?? 0);
    const multi = rows > 0 && features > 0 && Array.isArray((first as unknown[])[0]);
    const outputs = multi ? ((first as number[][])[0].length ?? 0) : 1;
    this.all = init.values.map((r, i) => {
      if (!Array.isArray(r) || r.length !== features) {
        throw argumentError(`values[${i}]`, `${features} features (as in row 0)`, r);
      }
      return (r as unknown[]).map((v, j) => {
        const arr = multi ? (v as number[]) : [v as number];
        if (!Array.isArray(arr) || arr.length !== outputs) {
          throw argumentError(`values[${i}][${j}]`, multi ? `${outputs} outputs` : 'a number', v);
        }
        return arr.slice();
      });
    });
    const b = init.baseValues;
    this.allBase = [];
    for (let i = 0; i < rows; i++) {
      const bi = typeof b === 'number' ? [b] : Array.isArray(b) ? b[i] : undefined;
      const arr = typeof bi === 'number' ? [bi] : bi;
      if (!Array.isArray(arr) || arr.length !== outputs) {
        throw argumentError(`baseValues[${i}]`, outputs === 1 ? 'a number' : `${outputs} outputs`, bi);
      }
      this.allBase.push(arr.slice());
    }
    this.featureNames = init.featureNames ? init.featureNames.slice() : defaultNames('Feature', features);
    if (this.featureNames.length !== features) {
      throw argumentError('featureNames', `${features} names`, this.featureNames);
    }
    this.outputNames = init.outputNames ? init.outputNames.slice() : defaultNames('Output', outputs);
    if (this.outputNames.length !== outputs)
      throw argumentError('outputNames', `${outputs} names`, this.outputNames);
    const k = init.outputIndex ?? 0;
    if (!Number.isInteger(k) || k < 0 || k >= outputs)
      throw argumentError('outputIndex', `an integer in [0, ${outputs})`, k);
    this.outputIndex = k;
    this.link = init.link ?? 'identity';
    if (init.data) {
      if (init.data.length !== rows) throw argumentError('data', `${rows} rows`, `${init.data.length} rows`);
      this.data = init.data.map((r, i) => {
        if (r.length !== features) throw argumentError(`data[${i}]`, `${features} values`, r);
        return Array.from(r);
      });
    } else {
      this.data = this.all.map(() => new Array<number>(features).fill(Number.NaN));
    }
    this.values = this.all.map((r) => r.map((v) => v[k]));
    this.baseValues = this.allBase.map((r) => r[k]);
  }

  get rows(): number {
    return this.values.length;
  }

  get features(): number {
    return this.featureNames.length;
  }

  get outputs(): number {
    return this.outputNames.length;
  }

  /** The same explanation for another output (by index or name). */
  output(k: number | string): Explanation {
    const index = typeof k === 'string' ? this.outputNames.indexOf(k) : k;
    if (!Number.isInteger(index) || index < 0 || index >= this.outputs) {
      throw argumentError(
        'output',
        `an index in [0, ${this.outputs}) or one of ${JSON.stringify(this.outputNames)}`,
        k,
      );
    }
    return new Explanation({ ...this.toInit(), outputIndex: index });
  }

  /** One explanation per model output. */
  byOutput(): Explanation[] {
    return this.outputNames.map((_, k) => this.output(k));
  }

  /** Every output's values: [row][feature][output] (a copy). */
  allValues(): number[][][] {
    return this.all.map((r) => r.map((v) => v.slice()));
  }

  /** Every output's base values: [row][output] (a copy). */
  allBaseValues(): number[][] {
    return this.allBase.map((r) => r.slice());
  }

  /** Mean |SHAP value| of each feature over the rows (the bar plot's global importance). */
  meanAbs(): number[] {
    const out = new Array<number>(this.features).fill(0);
    for (const r of this.values) for (let j = 0; j < r.length; j++) out[j] += Math.abs(r[j]) / this.rows;
    return out;
  }

  /** baseValue + Σ values for each row: the model output in link space. */
  outputValues(): number[] {
    return this.values.map((r, i) => r.reduce((s, v) => s + v, this.baseValues[i]));
  }

  /** One row's explanation: its SHAP values, base value, output, feature values and names. */
  row(i: number): ExplanationRow {
    if (!Number.isInteger(i) || i < 0 || i >= this.rows)
      throw argumentError('row', `an index in [0, ${this.rows})`, i);
    return {
      values: this.values[i].slice(),
      baseValue: this.baseValues[i],
      outputValue: this.values[i].reduce((s, v) => s + v, this.baseValues[i]),
      data: this.data[i].slice(),
      featureNames: this.featureNames.slice(),
    };
  }

  /** The explanation as plain JSON, accepted back by the constructor. */
  toJSON(): Required<ExplanationInit> {
    return this.toInit();
  }

  private toInit(): Required<ExplanationInit> {
    return {
      values: this.all,
      baseValues: this.allBase,
      data: this.data,
      featureNames: this.featureNames,
      outputNames: this.outputNames,
      outputIndex: this.outputIndex,
      link: this.link,
    };
  }
}

function defaultNames(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix} ${i}`);
}

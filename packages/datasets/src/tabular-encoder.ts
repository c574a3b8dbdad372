import { cellText, indexReader } from './column-reader';
import type { Dataset } from './dataset';
import { featureWriter, fitClasses, fitFeature, missingError, unknownError } from './encode-columns';
import { argumentError, tableError } from './errors';
import {
  checkEncoderJSON,
  checkPolicy,
  type FeatureSpec,
  MISSING_POLICIES,
  type MissingPolicy,
  outputNames,
  type TabularEncoderJSON,
  UNKNOWN_POLICIES,
  type UnknownPolicy,
} from './feature-spec';
import type { Matrix } from './matrix';
import { type Column, checkTable, columnNames, isMissing, listColumns, type Table } from './table';
import { checkOptions } from './validate';

/** Options of TabularEncoder: how to treat missing values and unseen categories. */
export interface TabularEncoderOptions {
  /** Default 'error'. 'mean' imputes numeric features with the fitted (train) mean, categoricals with the mode. */
  missing?: MissingPolicy;
  /** Default 'error', as scikit-learn's OneHotEncoder. */
  handleUnknown?: UnknownPolicy;
}

/** Options of `TabularEncoder.fit`: the target column and the input columns. */
export interface EncoderFitOptions {
  /** The column to predict; its classes are sorted as scikit-learn's LabelEncoder sorts them. */
  target?: string;
  /** Input columns, in output order. Default: every column except the target. */
  features?: string[];
}

/** A table encoded for a model: the feature matrix, the class indices and the names of both. */
export interface EncodedTable {
  X: Matrix;
  /** Class indices into `classes`, when the table has the target column. */
  y?: Float32Array;
  featureNames: string[];
  /** The source row of each output row. */
  rowNumbers: Int32Array;
  /** Rows left out: a missing target, or any missing value under missing: 'drop'. */
  dropped: number;
  /** Per categorical feature, how many values were unseen in fit and encoded as all zeros. */
  unknown: Record<string, number>;
}

interface Fitted {
  target: string | null;
  classes: string[] | null;
  features: FeatureSpec[];
}

/**
 * Turns a Table into a float matrix: numeric features pass through (scale them afterwards, e.g.
 * with @descent/scalers), categorical ones become one-hot blocks over the categories seen in fit,
 * sorted; the target becomes class indices. Fit it on the training rows only.
 */
export class TabularEncoder {
  readonly missing: MissingPolicy;
  readonly handleUnknown: UnknownPolicy;
  private fitted?: Fitted;

  constructor(options: TabularEncoderOptions = {}) {
    checkOptions('options', options, "{ missing: 'mean', handleUnknown: 'ignore' }");
    this.missing = checkPolicy('missing', options.missing ?? 'error', MISSING_POLICIES);
    this.handleUnknown = checkPolicy('handleUnknown', options.handleUnknown ?? 'error', UNKNOWN_POLICIES);
  }

  private get state(): Fitted {
    if (!this.fitted) throw new Error('TabularEncoder: call fit(table, { target }) before transform');
    return this.fitted;
  }

  get isFitted(): boolean {
    return this.fitted !== undefined;
  }

  get target(): string | undefined {
    return this.state.target ?? undefined;
  }

  get classes(): string[] | undefined {
    return this.state.classes ? [...this.state.classes] : undefined;
  }

  get features(): FeatureSpec[] {
    return structuredClone(this.state.features);
  }

  /** Output column names: `bill_length_mm`, `island_Biscoe`, ... */
  get featureNames(): string[] {
    return outputNames(this.state.features);
  }

  /** Learns the encoding from a (training) table: the columns, categories and imputation values. */
  fit(table: Table, options: EncoderFitOptions = {}): this {
    const t = checkTable('table', table);
    checkOptions('options', options, "{ target: 'sex' }");
    const target = options.target;
    if (target !== undefined && (typeof target !== 'string' || !columnNames(t).includes(target))) {
      throw argumentError('target', `one of the columns of ${t.source} (${listColumns(t)})`, target);
    }
    const names = options.features ?? columnNames(t).filter((n) => n !== target);
    if (!Array.isArray(names) || names.length === 0 || new Set(names).size !== names.length) {
      throw argumentError('features', 'a non-empty array of distinct column names', names);
    }
    const columns = names.map((name) => {
      const column = t.columns.find((c) => c.name === name);
      if (typeof name !== 'string' || !column || name === target) {
        throw argumentError(
          'features',
          `columns of ${t.source} other than the target (${listColumns(t)})`,
          name,
        );
      }
      return column;
    });
    const targetColumn = target === undefined ? undefined : t.columns.find((c) => c.name === target)!;
    const rows = this.usableRows(t, columns, targetColumn);
    if (rows.length === 0) {
      throw argumentError(
        'table',
        `rows with a target and, under missing: '${this.missing}', complete features`,
        0,
      );
    }
    const features = columns.map((c) => fitFeature(t, c, rows, this.missing));
    const classes = targetColumn ? fitClasses(targetColumn, rows) : null;
    this.fitted = { target: target ?? null, classes, features };
    return this;
  }

  /** Rows fit learns from; throws for missing values under 'error'. */
  private usableRows(t: Table, columns: Column[], targetColumn: Column | undefined): number[] {
    const rows: number[] = [];
    for (let i = 0; i < t.rows; i++) {
      if (targetColumn && isMissing(targetColumn, i)) {
        if (this.missing === 'error') throw missingError(t, i, targetColumn.name);
        continue;
      }
      const gap = columns.find((c) => isMissing(c, i));
      if (gap && this.missing === 'error') throw missingError(t, i, gap.name);
      if (gap && this.missing === 'drop') continue;
      rows.push(i);
    }
    return rows;
  }

  /** Fits on the table, then encodes it. */
  fitTransform(table: Table, options: EncoderFitOptions = {}): EncodedTable {
    return this.fit(table, options).transform(table);
  }

  /** Encodes a table with the fitted encoding: numbers as they are, categories one-hot. */
  transform(table: Table): EncodedTable {
    const t = checkTable('table', table);
    const { features, target, classes } = this.state;
    const width = outputNames(features).length;
    const readers = features.map((f) => featureWriter(t, f, this.missing));
    const targetColumn = target === null ? undefined : t.columns.find((c) => c.name === target);
    const classOf = targetColumn ? indexReader(targetColumn, classes!) : undefined;
    const X = new Float32Array(t.rows * width);
    const y = targetColumn ? new Float32Array(t.rows) : undefined;
    const rowNumbers = new Int32Array(t.rows);
    const unknown: Record<string, number> = {};
    for (const f of features) if (f.kind === 'categorical') unknown[f.name] = 0;
    const widths = features.map((f) => (f.kind === 'numeric' ? 1 : f.categories.length));
    const unseen: number[] = [];
    let out = 0;
    rows: for (let i = 0; i < t.rows; i++) {
      if (classOf && y) {
        const k = classOf(i);
        if (k === -1) {
          if (this.missing === 'error') throw missingError(t, i, target!);
          continue;
        }
        if (k === -2) {
          const list = classes!.map((c) => JSON.stringify(c)).join(', ');
          const found = JSON.stringify(cellText(targetColumn!, i));
          throw tableError(
            t.source,
            t.rowNumbers[i],
            target!,
            `unknown class ${found} (fitted classes: ${list})`,
          );
        }
        y[out] = k;
      }
      const row = X.subarray(out * width, (out + 1) * width);
      row.fill(0);
      let offset = 0;
      unseen.length = 0;
      for (let f = 0; f < readers.length; f++) {
        const wrote = readers[f](i, row, offset);
        if (wrote === 'drop') continue rows;
        if (wrote === 'unknown') unseen.push(f);
        offset += widths[f];
      }
      // Only rows that are kept can fail on an unseen category.
      if (unseen.length > 0 && this.handleUnknown === 'error') throw unknownError(t, features[unseen[0]], i);
      for (const f of unseen) unknown[features[f].name]++;
      rowNumbers[out] = t.rowNumbers[i];
      out++;
    }
    return {
      X: { data: out === t.rows ? X : X.slice(0, out * width), rows: out, cols: width },
      y: y && (out === t.rows ? y : y.slice(0, out)),
      featureNames: outputNames(features),
      rowNumbers: out === t.rows ? rowNumbers : rowNumbers.slice(0, out),
      dropped: t.rows - out,
      unknown,
    };
  }

  /** transform() as a Dataset, for trainTestSplit, epochBatches and the Learner; needs the target. */
  transformDataset(table: Table): Dataset {
    const { target, classes } = this.state;
    if (target === null)
      throw new Error('TabularEncoder: transformDataset needs an encoder fitted with a target');
    const t = checkTable('table', table);
    if (!t.columns.some((c) => c.name === target)) {
      throw argumentError('table', `a column ${JSON.stringify(target)} (the target)`, columnNames(t));
    }
    const { X, y, featureNames } = this.transform(t);
    return {
      X,
      y: y!,
      featureNames,
      targetName: target,
      task: classes!.length === 2 ? 'binary' : 'multiclass',
      classes: [...classes!],
    };
  }

  /** The fitted encoder as plain JSON, for saving with a model. */
  toJSON(): TabularEncoderJSON {
    const { target, classes, features } = this.state;
    return {
      type: 'TabularEncoder',
      version: 1,
      missing: this.missing,
      handleUnknown: this.handleUnknown,
      target,
      classes: classes ? [...classes] : null,
      features: structuredClone(features),
    };
  }

  /** Rebuilds a fitted encoder from `toJSON` output. */
  static fromJSON(json: unknown): TabularEncoder {
    const j = checkEncoderJSON(json);
    const encoder = new TabularEncoder({ missing: j.missing, handleUnknown: j.handleUnknown });
    encoder.fitted = { target: j.target, classes: j.classes, features: j.features };
    return encoder;
  }
}

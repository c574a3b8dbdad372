import {
  type EncoderFitOptions,
  type Matrix,
  type MissingPolicy,
  type Table,
  TableError,
  TabularEncoder,
  type TabularEncoderJSON,
  type UnknownPolicy,
} from '@descent/datasets';
import { MinMaxScaler, RobustScaler, StandardScaler } from '@descent/scalers';
import { argumentError } from '@descent/tensor';

/** Every feature scaling a TabularPreprocessor offers. */
export const scaleNames = ['standard', 'minmax', 'robust', 'none'] as const;
/** The name of a feature scaling: 'standard', 'minmax', 'robust' or 'none'. */
export type ScaleName = (typeof scaleNames)[number];
type Scaler = StandardScaler | MinMaxScaler | RobustScaler;

const makeScaler: Record<ScaleName, () => Scaler | null> = {
  standard: () => new StandardScaler(),
  minmax: () => new MinMaxScaler(),
  robust: () => new RobustScaler(),
  none: () => null,
};

const scalerFromJSON: Record<Exclude<ScaleName, 'none'>, (json: unknown) => Scaler> = {
  standard: (json) => StandardScaler.fromJSON(json),
  minmax: (json) => MinMaxScaler.fromJSON(json),
  robust: (json) => RobustScaler.fromJSON(json),
};

/** A TabularPreprocessor as plain JSON: the encoder's, the scaling's name and the scaler's. */
export interface TabularPreprocessorJSON {
  type: 'TabularPreprocessor';
  version: 1;
  encoder: TabularEncoderJSON;
  scale: ScaleName;
  scaler: unknown;
}

/** Table rows ready for a model: the features, the class indices, the source rows, and how many rows were dropped. */
export interface PreparedRows {
  X: Matrix;
  /** Class indices, when the table has the target column. */
  y?: Float32Array;
  /** The source row (1-based data row) of each output row. */
  rowNumbers: Int32Array;
  dropped: number;
}

/**
 * Raw table rows → model inputs: one-hot encoding (TabularEncoder) then scaling (a scikit-learn-
 * compatible scaler), both fitted on the training rows only. A model bundle keeps its JSON, so
 * `predict` takes raw rows exactly as `train` did.
 */
export class TabularPreprocessor {
  private constructor(
    readonly encoder: TabularEncoder,
    readonly scale: ScaleName,
    readonly scaler: Scaler | null,
  ) {}

  /** A new, unfitted preprocessor with the given scaling (default 'standard') and missing-value policies. */
  static create(options: { scale?: ScaleName; missing?: MissingPolicy; handleUnknown?: UnknownPolicy } = {}) {
    const scale = options.scale ?? 'standard';
    if (!scaleNames.includes(scale)) throw argumentError('scale', `one of ${scaleNames.join(', ')}`, scale);
    const encoder = new TabularEncoder({ missing: options.missing, handleUnknown: options.handleUnknown });
    return new TabularPreprocessor(encoder, scale, makeScaler[scale]());
  }

  /** Fits the encoder, then the scaler on the encoded rows, on a training table. */
  fit(table: Table, options: EncoderFitOptions): this {
    this.encoder.fit(table, options);
    this.scaler?.fit(this.encoder.transform(table).X);
    return this;
  }

  /** Encodes and scales a table's rows with the fitted encoder and scaler. */
  transform(table: Table): PreparedRows {
    const encoded = this.encoder.transform(table);
    // Said here, about the table, before the scaler words it as an empty matrix.
    if (encoded.X.rows === 0) {
      const found =
        table.rows === 0
          ? 'none'
          : `none: all ${table.rows} were dropped for a missing value in the columns the model reads`;
      throw new TableError(
        `${table.source}: expected at least 1 data row to transform, found ${found}`,
        table.source,
      );
    }
    const X = this.scaler ? this.scaler.transform(encoded.X) : encoded.X;
    return {
      X: { data: Float32Array.from(X.data), rows: X.rows, cols: X.cols },
      y: encoded.y,
      rowNumbers: encoded.rowNumbers,
      dropped: encoded.dropped,
    };
  }

  /** The raw columns a table must have (the target aside). */
  get inputColumns(): string[] {
    return this.encoder.features.map((f) => f.name);
  }

  /** The model's input features after one-hot encoding, e.g. `species=Adelie`. */
  get featureNames(): string[] {
    return this.encoder.featureNames;
  }

  get classes(): string[] | undefined {
    return this.encoder.classes;
  }

  get target(): string | undefined {
    return this.encoder.target;
  }

  /** The fitted encoder and scaler as plain JSON, for a model bundle. */
  toJSON(): TabularPreprocessorJSON {
    return {
      type: 'TabularPreprocessor',
      version: 1,
      encoder: this.encoder.toJSON(),
      scale: this.scale,
      scaler: this.scaler ? this.scaler.toJSON() : null,
    };
  }

  /** Rebuilds a fitted preprocessor from `toJSON` output. */
  static fromJSON(json: unknown): TabularPreprocessor {
    const j = json as TabularPreprocessorJSON;
    if (j?.type !== 'TabularPreprocessor' || j.version !== 1) {
      throw argumentError(
        'TabularPreprocessor.fromJSON: json',
        'a TabularPreprocessor (version 1) object',
        j?.type,
      );
    }
    if (!scaleNames.includes(j.scale)) {
      throw argumentError(
        'TabularPreprocessor.fromJSON: json.scale',
        `one of ${scaleNames.join(', ')}`,
        j.scale,
      );
    }
    const scaler = j.scale === 'none' ? null : scalerFromJSON[j.scale](j.scaler);
    return new TabularPreprocessor(TabularEncoder.fromJSON(j.encoder), j.scale, scaler);
  }
}

import { argumentError } from './errors';
import { decodeArray, decodeCount, encodeArray, type JsonNumber, readEnvelope } from './json';
import { clipInPlace, multiplyAdd, multiplyAddRows, subtractDivide, subtractDivideRows } from './kernels';
import type { FloatArray, Input, ScalerInput } from './matrix';
import { booleanOption, pairOption, readOptions } from './options';
import { Scaler } from './scaler';
import { handleZerosInScale } from './zeros-in-scale';

/** Options of MinMaxScaler: the target range and clipping. */
export interface MinMaxScalerOptions {
  /** The [min, max] each column is mapped to (default [0, 1]); min < max. */
  featureRange?: readonly [number, number];
  /** Clamp transformed values into featureRange, for data beyond the fitted range (default false). */
  clip?: boolean;
  /** false: a Float64 matrix is transformed in place (default true). */
  copy?: boolean;
}

/** A fitted or unfitted MinMaxScaler as plain JSON. */
export interface MinMaxScalerJSON {
  type: 'MinMaxScaler';
  version: 1;
  options: Required<MinMaxScalerOptions>;
  state: null | {
    nFeaturesIn: number;
    nSamplesSeen: number;
    dataMin: JsonNumber[];
    dataMax: JsonNumber[];
    dataRange: JsonNumber[];
    scale: JsonNumber[];
    min: JsonNumber[];
  };
}

const NAME = 'MinMaxScaler';
const OPTION_KEYS = ['featureRange', 'clip', 'copy'] as const;

/**
 * x' = x * scale + min per column, mapping the fitted [dataMin, dataMax] onto featureRange, as
 * scikit-learn 1.2's MinMaxScaler: NaN ignored when fitting and kept when transforming; a
 * constant column (range below 10·eps) gets scale `high - low`, so it maps to featureRange's low end.
 */
export class MinMaxScaler extends Scaler {
  readonly featureRange: readonly [number, number];
  readonly clip: boolean;
  readonly copy: boolean;
  protected readonly scalerName = NAME;
  protected override readonly fitHint = 'call fit() or partialFit() first';

  private rowsSeen = 0;
  private dataMinValues: Float64Array = new Float64Array(0);
  private dataMaxValues: Float64Array = new Float64Array(0);
  private dataRangeValues: Float64Array = new Float64Array(0);
  private scaleValues: Float64Array = new Float64Array(0);
  private minValues: Float64Array = new Float64Array(0);

  constructor(options?: MinMaxScalerOptions) {
    super();
    const o = readOptions(NAME, options, OPTION_KEYS);
    const range = pairOption(NAME, o, 'featureRange', [0, 1]);
    if (!(range[0] < range[1]))
      throw argumentError(`${NAME}: featureRange`, '[min, max] with min < max', range);
    this.featureRange = Object.freeze(range);
    this.clip = booleanOption(NAME, o, 'clip', false);
    this.copy = booleanOption(NAME, o, 'copy', true);
  }

  /** Widens the running per-column minimum and maximum with one more batch. */
  partialFit(X: ScalerInput): this {
    return this.partialFitBatch(X);
  }

  /** Per-column minimum seen (NaN for a column with no values). */
  get dataMin(): number[] {
    this.requireFitted();
    return Array.from(this.dataMinValues);
  }

  /** Per-column maximum seen. */
  get dataMax(): number[] {
    this.requireFitted();
    return Array.from(this.dataMaxValues);
  }

  /** dataMax - dataMin. */
  get dataRange(): number[] {
    this.requireFitted();
    return Array.from(this.dataRangeValues);
  }

  /** (high - low) / dataRange, with a zero range counted as 1. */
  get scale(): number[] {
    this.requireFitted();
    return Array.from(this.scaleValues);
  }

  /** low - dataMin * scale: the per-column offset added after scaling. */
  get min(): number[] {
    this.requireFitted();
    return Array.from(this.minValues);
  }

  /** Rows seen (NaN or not). */
  get nSamplesSeen(): number {
    this.requireFitted();
    return this.rowsSeen;
  }

  protected clear(): void {
    this.rowsSeen = 0;
    this.dataMinValues = new Float64Array(0);
    this.dataMaxValues = new Float64Array(0);
  }

  protected accumulate(input: Input): void {
    const { data, rows, cols } = input;
    const first = this.rowsSeen === 0;
    const lo = first ? new Float64Array(cols).fill(Number.NaN) : this.dataMinValues;
    const hi = first ? new Float64Array(cols).fill(Number.NaN) : this.dataMaxValues;
    // NaN-ignoring running extremes. scikit-learn merges batches with np.minimum, which lets a
    // batch whose column is all NaN turn that column's minimum NaN for good; here it is skipped.
    for (let start = 0; start < rows * cols; start += cols) {
      for (let j = 0; j < cols; j++) {
        const v = data[start + j];
        if (v < lo[j] || Number.isNaN(lo[j])) lo[j] = v;
        if (v > hi[j] || Number.isNaN(hi[j])) hi[j] = v;
      }
    }
    this.rowsSeen += rows;
    this.dataMinValues = lo;
    this.dataMaxValues = hi;
    this.derive();
  }

  private derive(): void {
    const [low, high] = this.featureRange;
    const cols = this.dataMinValues.length;
    this.dataRangeValues = new Float64Array(cols);
    this.scaleValues = new Float64Array(cols);
    this.minValues = new Float64Array(cols);
    for (let j = 0; j < cols; j++) {
      const range = this.dataMaxValues[j] - this.dataMinValues[j];
      this.dataRangeValues[j] = range;
      this.scaleValues[j] = (high - low) / handleZerosInScale(range);
      this.minValues[j] = low - this.dataMinValues[j] * this.scaleValues[j];
    }
  }

  protected forward(src: FloatArray, dst: FloatArray, cols: number): number {
    const bad = multiplyAdd(src, dst, cols, this.scaleValues, this.minValues);
    if (bad < 0 && this.clip) clipInPlace(dst, this.featureRange[0], this.featureRange[1]);
    return bad;
  }

  protected backward(src: FloatArray, dst: FloatArray, cols: number): number {
    return subtractDivide(src, dst, cols, this.minValues, this.scaleValues);
  }

  protected forwardRows(method: string, X: readonly unknown[], cols: number): number[][] {
    return multiplyAddRows(
      method,
      X,
      cols,
      this.scaleValues,
      this.minValues,
      this.clip ? this.featureRange : undefined,
    );
  }

  protected backwardRows(method: string, X: readonly unknown[], cols: number): number[][] {
    return subtractDivideRows(method, X, cols, this.minValues, this.scaleValues);
  }

  /** Options and fitted state as plain JSON (non-finite numbers as strings); see fromJSON. */
  toJSON(): MinMaxScalerJSON {
    const options = {
      featureRange: [this.featureRange[0], this.featureRange[1]] as [number, number],
      clip: this.clip,
      copy: this.copy,
    };
    if (!this.fitted) return { type: NAME, version: 1, options, state: null };
    return {
      type: NAME,
      version: 1,
      options,
      state: {
        nFeaturesIn: this.nFeatures,
        nSamplesSeen: this.rowsSeen,
        dataMin: encodeArray(this.dataMinValues),
        dataMax: encodeArray(this.dataMaxValues),
        dataRange: encodeArray(this.dataRangeValues),
        scale: encodeArray(this.scaleValues),
        min: encodeArray(this.minValues),
      },
    };
  }

  /** Rebuilds a scaler from toJSON() output (an object or its JSON text), bit for bit. */
  static fromJSON(json: unknown): MinMaxScaler {
    const { options, state } = readEnvelope(json, NAME);
    const scaler = new MinMaxScaler(options as MinMaxScalerOptions);
    if (state === null) return scaler;
    const where = `${NAME}.fromJSON: json.state`;
    const n = decodeCount(state.nFeaturesIn, `${where}.nFeaturesIn`);
    if (n === 0) throw argumentError(`${where}.nFeaturesIn`, 'a positive integer', n);
    const rowsSeen = decodeCount(state.nSamplesSeen, `${where}.nSamplesSeen`);
    if (rowsSeen === 0) throw argumentError(`${where}.nSamplesSeen`, 'a positive integer', rowsSeen);
    scaler.rowsSeen = rowsSeen;
    scaler.dataMinValues = decodeArray(state.dataMin, `${where}.dataMin`, n);
    scaler.dataMaxValues = decodeArray(state.dataMax, `${where}.dataMax`, n);
    scaler.dataRangeValues = decodeArray(state.dataRange, `${where}.dataRange`, n);
    scaler.scaleValues = decodeArray(state.scale, `${where}.scale`, n);
    scaler.minValues = decodeArray(state.min, `${where}.min`, n);
    scaler.nFeatures = n;
    return scaler;
  }
}

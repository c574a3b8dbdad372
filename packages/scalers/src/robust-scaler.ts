import { CenterScaleScaler } from './center-scale-scaler';
import { argumentError } from './errors';
import { decodeArray, decodeCount, encodeArray, type JsonNumber, readEnvelope } from './json';
import type { Input } from './matrix';
import { normalPpf } from './normal-ppf';
import { booleanOption, pairOption, readOptions } from './options';
import { medianOfSorted, percentileOfSorted, sortedColumn } from './quantile';
import { handleZerosInScale } from './zeros-in-scale';

/** Options of RobustScaler: centring on the median, scaling by a quantile range. */
export interface RobustScalerOptions {
  /** Subtract the median (default true). */
  withCentering?: boolean;
  /** Divide by the quantile range (default true). */
  withScaling?: boolean;
  /** Percentiles [qMin, qMax] whose distance is the scale (default [25, 75]); 0 <= qMin <= qMax <= 100. */
  quantileRange?: readonly [number, number];
  /** Also divide by that range of a standard normal, so normal data ends with variance 1 (default false). */
  unitVariance?: boolean;
  /** false: a Float64 matrix is transformed in place (default true). */
  copy?: boolean;
}

/** A fitted or unfitted RobustScaler as plain JSON. */
export interface RobustScalerJSON {
  type: 'RobustScaler';
  version: 1;
  options: Required<RobustScalerOptions>;
  state: null | { nFeaturesIn: number; center: JsonNumber[] | null; scale: JsonNumber[] | null };
}

const NAME = 'RobustScaler';
const OPTION_KEYS = ['withCentering', 'withScaling', 'quantileRange', 'unitVariance', 'copy'] as const;

/**
 * x' = (x - median) / (q[qMax] - q[qMin]) per column, as scikit-learn 1.2's RobustScaler:
 * NaN-ignoring median and percentiles with numpy's default linear interpolation; a zero range
 * counts as 1. It has no partialFit (quantiles do not stream), as in scikit-learn.
 */
export class RobustScaler extends CenterScaleScaler {
  readonly withCentering: boolean;
  readonly withScaling: boolean;
  readonly quantileRange: readonly [number, number];
  readonly unitVariance: boolean;
  readonly copy: boolean;
  protected readonly scalerName = NAME;

  private centerValues: Float64Array | null = null;
  private scaleValues: Float64Array | null = null;

  constructor(options?: RobustScalerOptions) {
    super();
    const o = readOptions(NAME, options, OPTION_KEYS);
    this.withCentering = booleanOption(NAME, o, 'withCentering', true);
    this.withScaling = booleanOption(NAME, o, 'withScaling', true);
    const range = pairOption(NAME, o, 'quantileRange', [25, 75]);
    if (!(range[0] >= 0 && range[0] <= range[1] && range[1] <= 100)) {
      throw argumentError(`${NAME}: quantileRange`, '[qMin, qMax] with 0 <= qMin <= qMax <= 100', range);
    }
    this.quantileRange = Object.freeze(range);
    this.unitVariance = booleanOption(NAME, o, 'unitVariance', false);
    this.copy = booleanOption(NAME, o, 'copy', true);
  }

  /** Per-column median; null when withCentering is false. */
  get center(): number[] | null {
    this.requireFitted();
    return this.centerValues ? Array.from(this.centerValues) : null;
  }

  /** Per-column quantile range (1 where it is 0), over the normal's when unitVariance; null when withScaling is false. */
  get scale(): number[] | null {
    this.requireFitted();
    return this.scaleValues ? Array.from(this.scaleValues) : null;
  }

  protected clear(): void {
    this.centerValues = null;
    this.scaleValues = null;
  }

  protected accumulate(input: Input): void {
    const { data, rows, cols } = input;
    const [qMin, qMax] = this.quantileRange;
    const center = this.withCentering ? new Float64Array(cols) : null;
    const scale = this.withScaling ? new Float64Array(cols) : null;
    // Φ⁻¹(qMax) − Φ⁻¹(qMin): the same quantile range for a standard normal.
    const adjust = normalPpf(qMax / 100) - normalPpf(qMin / 100);
    for (let j = 0; j < cols; j++) {
      const sorted = sortedColumn(data, rows, cols, j);
      if (center) center[j] = medianOfSorted(sorted);
      if (scale) {
        const s = handleZerosInScale(percentileOfSorted(sorted, qMax) - percentileOfSorted(sorted, qMin));
        scale[j] = this.unitVariance ? s / adjust : s;
      }
    }
    this.centerValues = center;
    this.scaleValues = scale;
    this.prepareKernels();
  }

  private prepareKernels(): void {
    this.setCenterScale(this.centerValues, this.scaleValues);
  }

  /** Options and fitted state as plain JSON (non-finite numbers as strings); see fromJSON. */
  toJSON(): RobustScalerJSON {
    const options = {
      withCentering: this.withCentering,
      withScaling: this.withScaling,
      quantileRange: [this.quantileRange[0], this.quantileRange[1]] as [number, number],
      unitVariance: this.unitVariance,
      copy: this.copy,
    };
    if (!this.fitted) return { type: NAME, version: 1, options, state: null };
    return {
      type: NAME,
      version: 1,
      options,
      state: {
        nFeaturesIn: this.nFeatures,
        center: encodeArray(this.centerValues),
        scale: encodeArray(this.scaleValues),
      },
    };
  }

  /** Rebuilds a scaler from toJSON() output (an object or its JSON text), bit for bit. */
  static fromJSON(json: unknown): RobustScaler {
    const { options, state } = readEnvelope(json, NAME);
    const scaler = new RobustScaler(options as RobustScalerOptions);
    if (state === null) return scaler;
    const where = `${NAME}.fromJSON: json.state`;
    const n = decodeCount(state.nFeaturesIn, `${where}.nFeaturesIn`);
    if (n === 0) throw argumentError(`${where}.nFeaturesIn`, 'a positive integer', n);
    const nullable = (key: 'center' | 'scale', present: boolean) => {
      if (present) return decodeArray(state[key], `${where}.${key}`, n);
      if (state[key] !== null) throw argumentError(`${where}.${key}`, 'null (for these options)', state[key]);
      return null;
    };
    scaler.centerValues = nullable('center', scaler.withCentering);
    scaler.scaleValues = nullable('scale', scaler.withScaling);
    scaler.nFeatures = n;
    scaler.prepareKernels();
    return scaler;
  }
}

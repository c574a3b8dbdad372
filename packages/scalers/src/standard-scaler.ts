import { CenterScaleScaler } from './center-scale-scaler';
import { argumentError } from './errors';
import { decodeArray, decodeCount, encodeArray, type JsonNumber, readEnvelope } from './json';
import { filled } from './kernels';
import type { Input, ScalerInput } from './matrix';
import { addCounts, emptyMoments, type Moments, updateMoments } from './moments';
import { booleanOption, readOptions } from './options';
import { isConstantFeature } from './zeros-in-scale';

/** Options of StandardScaler: whether to subtract the mean and divide by the standard deviation. */
export interface StandardScalerOptions {
  /** Subtract the mean (default true). */
  withMean?: boolean;
  /** Divide by the standard deviation (default true). */
  withStd?: boolean;
  /** false: a Float64 matrix is transformed in place (default true). */
  copy?: boolean;
}

/** A fitted or unfitted StandardScaler as plain JSON. */
export interface StandardScalerJSON {
  type: 'StandardScaler';
  version: 1;
  options: Required<StandardScalerOptions>;
  state: null | {
    nFeaturesIn: number;
    nSamplesSeen: number | number[];
    mean: JsonNumber[] | null;
    var: JsonNumber[] | null;
    scale: JsonNumber[] | null;
  };
}

const NAME = 'StandardScaler';
const OPTION_KEYS = ['withMean', 'withStd', 'copy'] as const;

/**
 * z = (x - mean) / std per column, as scikit-learn 1.2's StandardScaler: population variance
 * (ddof 0), NaN ignored when fitting and kept when transforming, and a constant or
 * near-constant column (variance within the rounding error of its computation) left unscaled.
 * partialFit() streams batches through the same update that fit() uses, with per-column counts.
 */
export class StandardScaler extends CenterScaleScaler {
  readonly withMean: boolean;
  readonly withStd: boolean;
  readonly copy: boolean;
  protected readonly scalerName = NAME;
  protected override readonly fitHint = 'call fit() or partialFit() first';

  private moments: Moments = emptyMoments(0, false);
  private scaleValues: Float64Array | null = null;
  // Kernel operands, with identities for a disabled step (see kernels.ts).

  constructor(options?: StandardScalerOptions) {
    super();
    const o = readOptions(NAME, options, OPTION_KEYS);
    this.withMean = booleanOption(NAME, o, 'withMean', true);
    this.withStd = booleanOption(NAME, o, 'withStd', true);
    this.copy = booleanOption(NAME, o, 'copy', true);
  }

  /** Updates the running mean and variance with one more batch (fit() is one batch from scratch). */
  partialFit(X: ScalerInput): this {
    return this.partialFitBatch(X);
  }

  /** Per-column mean; null when withMean and withStd are both false (computed even without withMean, as in scikit-learn). */
  get mean(): number[] | null {
    this.requireFitted();
    return this.withMean || this.withStd ? Array.from(this.moments.mean) : null;
  }

  /** Per-column population variance; null when withStd is false. */
  get var(): number[] | null {
    this.requireFitted();
    return this.moments.variance ? Array.from(this.moments.variance) : null;
  }

  /** Per-column divisor: the standard deviation, or 1 for a (near-)constant column; null when withStd is false. */
  get scale(): number[] | null {
    this.requireFitted();
    return this.scaleValues ? Array.from(this.scaleValues) : null;
  }

  /** Non-NaN values seen per column: one number when every column has the same count, else an array. */
  get nSamplesSeen(): number | number[] {
    this.requireFitted();
    const c = this.moments.count;
    return c.every((v) => v === c[0]) ? c[0] : Array.from(c);
  }

  protected clear(): void {
    this.moments = emptyMoments(0, false);
    this.scaleValues = null;
  }

  protected accumulate(input: Input): void {
    const { data, rows, cols } = input;
    if (this.moments.count.length !== cols) this.moments = emptyMoments(cols, this.withStd);
    if (this.withMean || this.withStd) updateMoments(this.moments, data, rows, cols);
    else addCounts(this.moments.count, data, rows, cols);
    if (this.withStd) {
      const { mean, variance, count } = this.moments;
      const scale = new Float64Array(cols);
      for (let j = 0; j < cols; j++) {
        const v = variance![j];
        scale[j] = isConstantFeature(v, mean[j], count[j]) ? 1 : Math.sqrt(v);
      }
      this.scaleValues = scale;
    }
    this.prepareKernels();
  }

  private prepareKernels(): void {
    this.setCenterScale(this.withMean ? this.moments.mean : null, this.scaleValues);
  }

  /** Options and fitted state as plain JSON (non-finite numbers as strings); see fromJSON. */
  toJSON(): StandardScalerJSON {
    const options = { withMean: this.withMean, withStd: this.withStd, copy: this.copy };
    if (!this.fitted) return { type: NAME, version: 1, options, state: null };
    const kept = this.withMean || this.withStd;
    return {
      type: NAME,
      version: 1,
      options,
      state: {
        nFeaturesIn: this.nFeatures,
        nSamplesSeen: this.nSamplesSeen,
        mean: kept ? encodeArray(this.moments.mean) : null,
        var: encodeArray(this.moments.variance),
        scale: encodeArray(this.scaleValues),
      },
    };
  }

  /** Rebuilds a scaler from toJSON() output (an object or its JSON text), bit for bit. */
  static fromJSON(json: unknown): StandardScaler {
    const { options, state } = readEnvelope(json, NAME);
    const scaler = new StandardScaler(options as StandardScalerOptions);
    if (state === null) return scaler;
    const where = `${NAME}.fromJSON: json.state`;
    const n = decodeCount(state.nFeaturesIn, `${where}.nFeaturesIn`);
    if (n === 0) throw argumentError(`${where}.nFeaturesIn`, 'a positive integer', n);
    const seen = state.nSamplesSeen;
    if (Array.isArray(seen) && seen.length !== n) {
      throw argumentError(`${where}.nSamplesSeen`, `a count or an array of ${n} counts`, seen);
    }
    const count = Array.isArray(seen)
      ? Float64Array.from(seen, (c, j) => decodeCount(c, `${where}.nSamplesSeen[${j}]`))
      : filled(n, decodeCount(seen, `${where}.nSamplesSeen`));
    const nullable = (key: 'mean' | 'var' | 'scale', present: boolean) => {
      if (!present) {
        if (state[key] !== null)
          throw argumentError(`${where}.${key}`, 'null (for these options)', state[key]);
        return null;
      }
      return decodeArray(state[key], `${where}.${key}`, n);
    };
    const mean = nullable('mean', scaler.withMean || scaler.withStd);
    scaler.moments = { count, mean: mean ?? new Float64Array(n), variance: nullable('var', scaler.withStd) };
    scaler.scaleValues = nullable('scale', scaler.withStd);
    scaler.nFeatures = n;
    scaler.prepareKernels();
    return scaler;
  }
}

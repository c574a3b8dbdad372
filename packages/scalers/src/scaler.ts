import { NotFittedError } from './errors';
import {
  checkColumns,
  type DenseMatrix,
  type FloatArray,
  findInfinite,
  type Input,
  infiniteValueError,
  readInput,
  rowsShape,
  type ScalerInput,
} from './matrix';

/**
 * What the three scalers share: input checking, the fitted check, and running a per-column
 * kernel over `number[][]` or a dense matrix. A subclass says how a batch updates its state
 * (`accumulate`) and which kernels map forward and back.
 *
 * Output follows input: `number[][]` gives `number[][]`; a Float64 matrix gives a new Float64
 * matrix, or with `copy: false` is overwritten and returned itself; a Float32 matrix is computed
 * in float64 and gives a new Float32 matrix.
 */
export abstract class Scaler {
  /** Set in subclasses to the class name, for messages. */
  protected abstract readonly scalerName: string;
  /** How to fit this scaler, for the not-fitted message. */
  protected readonly fitHint: string = 'call fit() first';
  abstract readonly copy: boolean;

  /** Number of columns seen at fit; 0 until fitted. */
  protected nFeatures = 0;

  /** Drops the fitted state, for a fresh fit. */
  protected abstract clear(): void;
  /** Folds a checked batch into the (fresh or running) state and refreshes derived attributes. */
  protected abstract accumulate(input: Input): void;
  /** The transform kernel: reads `src`, writes `dst`; returns the index of a ±Infinity or -1. */
  protected abstract forward(src: FloatArray, dst: FloatArray, cols: number): number;
  /** The inverse-transform kernel, with the same contract as `forward`. */
  protected abstract backward(src: FloatArray, dst: FloatArray, cols: number): number;
  /** `forward` for `number[][]`: checks each row and returns new rows. */
  protected abstract forwardRows(method: string, X: readonly unknown[], cols: number): number[][];
  /** `backward` for `number[][]`. */
  protected abstract backwardRows(method: string, X: readonly unknown[], cols: number): number[][];

  /** Whether fit() (or partialFit()) has run. */
  get fitted(): boolean {
    return this.nFeatures > 0;
  }

  /** Number of columns seen at fit (scikit-learn's `n_features_in_`). */
  get nFeaturesIn(): number {
    this.requireFitted();
    return this.nFeatures;
  }

  /** Computes the scaling statistics from X, replacing any earlier fit. NaN values are ignored. */
  fit(X: ScalerInput): this {
    const input = readInput('fit', X, true);
    this.fitFresh(input);
    return this;
  }

  /** fit(X) then transform(X), reading X once. */
  fitTransform(X: number[][]): number[][];
  fitTransform<T extends FloatArray>(X: DenseMatrix<T>): DenseMatrix<T>;
  fitTransform(X: ScalerInput): number[][] | DenseMatrix;
  fitTransform(X: ScalerInput): number[][] | DenseMatrix {
    const input = readInput('fitTransform', X, true);
    this.fitFresh(input);
    if (input.kind === 'rows') return this.forwardRows('fitTransform', input.source as unknown[], input.cols);
    return this.run('fitTransform', input, true);
  }

  /** Scales X with the fitted statistics. NaN stays NaN. */
  transform(X: number[][]): number[][];
  transform<T extends FloatArray>(X: DenseMatrix<T>): DenseMatrix<T>;
  transform(X: ScalerInput): number[][] | DenseMatrix;
  transform(X: ScalerInput): number[][] | DenseMatrix {
    return this.fittedRun('transform', X, true);
  }

  /** Undoes transform(): maps scaled values back to the original units. */
  inverseTransform(X: number[][]): number[][];
  inverseTransform<T extends FloatArray>(X: DenseMatrix<T>): DenseMatrix<T>;
  inverseTransform(X: ScalerInput): number[][] | DenseMatrix;
  inverseTransform(X: ScalerInput): number[][] | DenseMatrix {
    return this.fittedRun('inverseTransform', X, false);
  }

  /** One more batch into the running statistics (for the scalers that stream). */
  protected partialFitBatch(X: ScalerInput): this {
    const input = readInput('partialFit', X, true);
    if (this.fitted) checkColumns('partialFit', input.cols, this.nFeatures, 'the data fitted so far');
    else {
      this.clear();
      this.nFeatures = input.cols;
    }
    this.accumulate(input);
    return this;
  }

  /** Throws NotFittedError unless the scaler has been fitted. */
  protected requireFitted(): void {
    if (!this.fitted) throw new NotFittedError(`${this.scalerName}: not fitted; ${this.fitHint}`);
  }

  private fitFresh(input: Input): void {
    this.clear();
    this.nFeatures = input.cols;
    this.accumulate(input);
  }

  private fittedRun(method: string, X: unknown, forward: boolean): number[][] | DenseMatrix {
    this.requireFitted();
    if (Array.isArray(X)) {
      // number[][] is transformed row by row as it is checked: no packing, no typed copy.
      const { cols } = rowsShape(method, X);
      checkColumns(method, cols, this.nFeatures, 'fit');
      return forward ? this.forwardRows(method, X, cols) : this.backwardRows(method, X, cols);
    }
    const input = readInput(method, X, false);
    checkColumns(method, input.cols, this.nFeatures, 'fit');
    return this.run(method, input, forward);
  }

  /** Runs a kernel over a matrix input: into a new array of its type, or in place with copy: false. */
  private run(method: string, input: Input, forward: boolean): DenseMatrix {
    const { data, rows, cols, kind } = input;
    const inPlace = kind === 'float64' && !this.copy;
    if (inPlace) {
      // Check before touching the caller's data: a failed call must leave it as it was.
      const bad = findInfinite(data);
      if (bad >= 0) throw infiniteValueError(method, data, cols, bad);
    }
    const dst = inPlace
      ? data
      : kind === 'float32'
        ? new Float32Array(data.length)
        : new Float64Array(data.length);
    const bad = forward ? this.forward(data, dst, cols) : this.backward(data, dst, cols);
    if (bad >= 0) throw infiniteValueError(method, data, cols, bad);
    return inPlace ? (input.source as DenseMatrix) : { data: dst, rows, cols };
  }
}

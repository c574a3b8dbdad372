import { Generator } from '@descent/random';
import { argumentError, checkSeed } from './errors.js';
import { type Dense, type MatrixInput, toDense, type WeightedMatrix } from './matrix.js';

/** Background data with weights that sum to 1. */
export interface Background {
  data: Dense;
  weights: Float64Array;
}

/**
 * Reads the background: a matrix or rows, optionally weighted (a `WeightedMatrix` such as `kmeansBackground`
 * returns, or the `backgroundWeights` option). Weights are normalised to sum to 1, as shap does.
 */
export function toBackground(input: unknown, weightsOption?: ArrayLike<number>): Background {
  if (input === undefined || input === null)
    throw argumentError('background', 'a matrix or an array of rows', input);
  const data = toDense(input, 'background');
  if (data.rows === 0 || data.cols === 0) {
    throw argumentError(
      'background',
      'at least one row and one column',
      `${data.rows} rows × ${data.cols} columns`,
    );
  }
  const own = (input as Partial<WeightedMatrix>).weights;
  if (own !== undefined && weightsOption !== undefined) {
    throw argumentError(
      'backgroundWeights',
      'weights given once (the background already carries weights)',
      'both',
    );
  }
  const given = weightsOption ?? own;
  const weights = new Float64Array(data.rows);
  if (given === undefined) {
    weights.fill(1 / data.rows);
    return { data, weights };
  }
  const arg = weightsOption !== undefined ? 'backgroundWeights' : 'background.weights';
  if (typeof given !== 'object' || typeof given.length !== 'number' || given.length !== data.rows) {
    throw argumentError(arg, `${data.rows} weights (one per background row)`, given);
  }
  let sum = 0;
  for (let i = 0; i < data.rows; i++) {
    const w = given[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw argumentError(`${arg}[${i}]`, 'a finite number ≥ 0', w);
    }
    sum += w;
  }
  if (!(sum > 0)) throw argumentError(arg, 'weights with a positive sum', sum);
  for (let i = 0; i < data.rows; i++) weights[i] = given[i] / sum;
  return { data, weights };
}

/**
 * A random subset of `n` rows of X without replacement (all rows, in a shuffled order, when n ≥ rows),
 * like `shap.sample`. Seeded.
 */
export function sampleBackground(X: MatrixInput, n: number, options: { seed?: number } = {}): Dense {
  const data = toDense(X, 'X');
  if (data.rows === 0) throw argumentError('X', 'at least one row', '0 rows');
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw argumentError('n', 'a positive integer', n);
  const rng = new Generator(checkSeed(options.seed ?? 0));
  const k = Math.min(n, data.rows);
  const picked = rng.sample(data.rows, k);
  const out = new Float64Array(k * data.cols);
  for (let i = 0; i < k; i++)
    out.set(data.data.subarray(picked[i] * data.cols, (picked[i] + 1) * data.cols), i * data.cols);
  return { data: out, rows: k, cols: data.cols };
}

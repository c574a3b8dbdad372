import { shapleyWeight } from './combinatorics.js';
import { argumentError } from './errors.js';
import { Explainer, type ExplainerOptions, type RowTask } from './explainer.js';
import type { MatrixInput } from './matrix.js';
import type { Model } from './model.js';

export interface ExactExplainerOptions extends ExplainerOptions {
  /** Largest number of features (players) allowed; the cost is 2^M coalitions × background rows. Default 16. */
  maxFeatures?: number;
}

/**
 * True Shapley values of the interventional game v(S) = E_b[f(x_S, b_notS)] over the (weighted) background,
 * from all 2^M coalitions: φ_i = Σ_{S ∌ i} |S|!(M−|S|−1)!/M! · (v(S ∪ {i}) − v(S)).
 */
export class ExactExplainer extends Explainer {
  readonly maxFeatures: number;

  constructor(model: Model, background: MatrixInput, options: ExactExplainerOptions = {}) {
    super(model, background, options);
    const max = options.maxFeatures ?? 16;
    if (!Number.isInteger(max) || max < 1 || max > 30)
      throw argumentError('maxFeatures', 'an integer in [1, 30]', max);
    this.maxFeatures = max;
    const M = this.features;
    if (M > max) {
      throw argumentError(
        'background',
        `at most maxFeatures = ${max} features for ExactExplainer (2^M coalitions); use KernelExplainer or PermutationExplainer, or raise maxFeatures`,
        `M = ${M} features`,
      );
    }
  }

  protected async explainRow(task: RowTask): Promise<Float64Array> {
    const M = task.varying.length;
    const K = task.outputs;
    const full = 2 ** M - 1;
    // Coalitions are bitmasks over the varying players; the empty and full ones are already known.
    const n = full - 1;
    const masks = new Uint8Array(n * M);
    for (let s = 1; s < full; s++) for (let p = 0; p < M; p++) masks[(s - 1) * M + p] = (s >>> p) & 1;
    const inner = await task.evaluate(masks, n);
    const v = new Float64Array((full + 1) * K);
    v.set(task.fnull, 0);
    v.set(inner, K);
    v.set(task.fx, full * K);
    const weights = Float64Array.from({ length: M }, (_, s) => shapleyWeight(M, s));
    const phi = new Float64Array(M * K);
    for (let S = 0; S < full; S++) {
      let size = 0;
      for (let t = S; t; t &= t - 1) size++;
      const w = weights[size];
      for (let p = 0; p < M; p++) {
        if ((S >>> p) & 1) continue;
        const T = S | (1 << p);
        for (let k = 0; k < K; k++) phi[p * K + k] += w * (v[T * K + k] - v[S * K + k]);
      }
    }
    return phi;
  }
}

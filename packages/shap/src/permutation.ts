import { argumentError } from './errors.js';
import { Explainer, type ExplainerOptions, type RowTask } from './explainer.js';
import type { MatrixInput } from './matrix.js';
import type { Model } from './model.js';

export interface PermutationExplainerOptions extends ExplainerOptions {
  /** Random permutations per row, each walked forward and in reverse. Overrides maxEvals. */
  npermutations?: number;
  /**
   * Budget per row as shap's max_evals: npermutations = floor(maxEvals / (2M + 1)) with M the varying features,
   * at least 1 (shap raises instead). Default 500, as shap.
   */
  maxEvals?: number;
}

/**
 * Shapley values averaged over random feature orders, each order used twice: adding features along it and
 * removing them along it (the reversed order), as shap's PermutationExplainer does. The pair makes the
 * estimate exact for any model whose interactions are at most pairwise; values always sum to f(x) − E[f].
 * Costs 2(M − 1) coalitions per permutation (fewer after merging repeats).
 */
export class PermutationExplainer extends Explainer {
  readonly npermutations?: number;
  readonly maxEvals: number;

  constructor(model: Model, background: MatrixInput, options: PermutationExplainerOptions = {}) {
    super(model, background, options);
    const n = options.npermutations;
    if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 1)) {
      throw argumentError('npermutations', 'a positive integer', n);
    }
    const evals = options.maxEvals ?? 500;
    if (typeof evals !== 'number' || !Number.isInteger(evals) || evals < 1) {
      throw argumentError('maxEvals', 'a positive integer', evals);
    }
    this.npermutations = n;
    this.maxEvals = evals;
  }

  protected async explainRow(task: RowTask): Promise<Float64Array> {
    const M = task.varying.length;
    const K = task.outputs;
    const P = this.npermutations ?? Math.max(1, Math.floor(this.maxEvals / (2 * M + 1)));
    const perms: Int32Array[] = [];
    const index = new Map<string, number>();
    const maskList: Uint8Array[] = [];
    // prefixIdx[p][j] / suffixIdx[p][j]: coalition index of the first j+1 features of perm p, and its complement.
    const prefixIdx: Int32Array[] = [];
    const complementIdx: Int32Array[] = [];
    const add = (mask: Uint8Array): number => {
      const key = mask.join('');
      let at = index.get(key);
      if (at === undefined) {
        at = maskList.length;
        index.set(key, at);
        maskList.push(mask.slice());
      }
      return at;
    };
    const mask = new Uint8Array(M);
    for (let p = 0; p < P; p++) {
      const perm = task.rng.permutation(M);
      perms.push(perm);
      const pre = new Int32Array(M - 1);
      const comp = new Int32Array(M - 1);
      mask.fill(0);
      for (let j = 0; j < M - 1; j++) {
        mask[perm[j]] = 1;
        pre[j] = add(mask);
        for (let q = 0; q < M; q++) mask[q] ^= 1;
        comp[j] = add(mask);
        for (let q = 0; q < M; q++) mask[q] ^= 1;
      }
      prefixIdx.push(pre);
      complementIdx.push(comp);
    }
    const flat = new Uint8Array(maskList.length * M);
    for (let i = 0; i < maskList.length; i++) flat.set(maskList[i], i * M);
    const v = await task.evaluate(flat, maskList.length);
    const phi = new Float64Array(M * K);
    const value = (
      idx: Int32Array,
      j: number,
      k: number,
      empty: Float64Array,
      full: Float64Array,
    ): number => {
      if (j < 0) return empty[k];
      if (j >= M - 1) return full[k];
      return v[idx[j] * K + k];
    };
    for (let p = 0; p < P; p++) {
      const perm = perms[p];
      for (let j = 0; j < M; j++) {
        const feat = perm[j];
        for (let k = 0; k < K; k++) {
          // Forward: v(first j+1) − v(first j). Reverse: v(all but first j) − v(all but first j+1).
          const forward =
            value(prefixIdx[p], j, k, task.fnull, task.fx) -
            value(prefixIdx[p], j - 1, k, task.fnull, task.fx);
          const reverse =
            value(complementIdx[p], j - 1, k, task.fx, task.fnull) -
            value(complementIdx[p], j, k, task.fx, task.fnull);
          phi[feat * K + k] += forward + reverse;
        }
      }
    }
    for (let i = 0; i < phi.length; i++) phi[i] /= 2 * P;
    return phi;
  }
}

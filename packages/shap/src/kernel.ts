import { argumentError } from './errors.js';
import { Explainer, type ExplainerOptions, type RowTask } from './explainer.js';
import { kernelCoalitions } from './kernel-coalitions.js';
import { kernelSolve, type L1Spec, type LReg, parseLReg } from './kernel-solve.js';
import type { MatrixInput } from './matrix.js';
import type { Model } from './model.js';

export interface KernelExplainerOptions extends ExplainerOptions {
  /** Coalitions per row: an integer ≥ 2, or 'auto' = 2M + 2048. Capped at 2^M − 2 (M = varying features). */
  nsamples?: number | 'auto';
  /** L1 feature selection before the regression. Default 'auto' (as shap 0.4x). */
  lReg?: LReg;
}

function checkNsamples(value: unknown): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 2) {
    throw argumentError('nsamples', "'auto' or an integer ≥ 2", value);
  }
  return value;
}

/**
 * KernelSHAP (Lundberg & Lee 2017) as python shap's KernelExplainer: Shapley-kernel-weighted linear regression
 * on coalitions of the features that vary against the background, with the efficiency constraint imposed
 * exactly. See `kernelCoalitions` for the sampling and `kernelSolve` for the regression.
 */
export class KernelExplainer extends Explainer {
  readonly nsamples: number | 'auto';
  readonly lReg: L1Spec;

  constructor(model: Model, background: MatrixInput, options: KernelExplainerOptions = {}) {
    super(model, background, options);
    this.nsamples = checkNsamples(options.nsamples);
    this.lReg = parseLReg(options.lReg);
  }

  protected async explainRow(task: RowTask): Promise<Float64Array> {
    const M = task.varying.length;
    const K = task.outputs;
    const requested = this.nsamples === 'auto' ? 2 * M + 2048 : this.nsamples;
    const maxSamples = M <= 30 ? 2 ** M - 2 : 2 ** 30;
    const nsamples = Math.min(requested, maxSamples);
    const coalitions = kernelCoalitions(M, nsamples, task.rng);
    const values = await task.evaluate(coalitions.masks, coalitions.count);
    const phi = new Float64Array(M * K);
    const ey = new Float64Array(coalitions.count);
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < coalitions.count; i++) ey[i] = values[i * K + k];
      const v = kernelSolve(coalitions, M, ey, task.fnull[k], task.fx[k], this.lReg, nsamples / maxSamples);
      for (let j = 0; j < M; j++) phi[j * K + k] = v[j];
    }
    return phi;
  }
}

import { CholeskyDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { argumentError } from './errors.js';
import type { KernelCoalitions } from './kernel-coalitions.js';
import { larsPath, lassoLarsIC, ols } from './lars.js';
import type { Dense } from './matrix.js';

/**
 * L1 feature selection before the regression, as shap's `l1_reg`: `false` none; `'num_features(k)'` the first k
 * features to enter the LARS path; `'aic'` / `'bic'` the LARS-lasso knot with the best information criterion;
 * `'auto'` AIC when fewer than 20% of the 2^M − 2 coalitions are sampled, otherwise none (shap 0.4x's default).
 */
export type LReg = false | 'auto' | 'aic' | 'bic' | `num_features(${number})`;

export type L1Spec =
  | { kind: 'none' }
  | { kind: 'auto' }
  | { kind: 'aic' }
  | { kind: 'bic' }
  | { kind: 'top'; k: number };

export function parseLReg(value: unknown): L1Spec {
  if (value === false || value === 0) return { kind: 'none' };
  if (value === undefined || value === 'auto') return { kind: 'auto' };
  if (value === 'aic' || value === 'bic') return { kind: value };
  if (typeof value === 'string') {
    const m = /^num_features\((\d+)\)$/.exec(value);
    if (m && Number(m[1]) >= 1) return { kind: 'top', k: Number(m[1]) };
  }
  throw argumentError('lReg', "false, 'auto', 'aic', 'bic' or 'num_features(k)' with k ≥ 1", value);
}

/**
 * The features kept by the L1 step on shap's augmented problem (sorted). For AIC/BIC the columns are first
 * scaled to unit standard deviation, as shap's StandardScaler(with_mean=False) pipeline does.
 * Returns null when the criterion cannot be computed (too few rows to estimate the noise).
 */
export function l1Select(X: Dense, y: Float64Array, spec: L1Spec): number[] | null {
  const p = X.cols;
  if (spec.kind === 'none' || spec.kind === 'auto') return Array.from({ length: p }, (_, j) => j);
  if (spec.kind === 'top') {
    return larsPath(X, y, { method: 'lar', maxIter: spec.k }).active.sort((a, b) => a - b);
  }
  const n = X.rows;
  if (n <= p + 1) return null;
  const scaled = new Float64Array(X.data);
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += scaled[i * p + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (scaled[i * p + j] - m) ** 2;
    const sd = Math.sqrt(v / n);
    if (sd > 0) for (let i = 0; i < n; i++) scaled[i * p + j] /= sd;
  }
  const { coef } = lassoLarsIC({ data: scaled, rows: n, cols: p }, y, spec.kind);
  const out: number[] = [];
  for (let j = 0; j < p; j++) if (coef[j] !== 0) out.push(j);
  return out;
}

/**
 * Weighted least squares min Σ w_i (y_i − A_i b)^2. Like shap, through the normal equations (AᵀWA) b = AᵀWy, here
 * solved by ml-matrix's Cholesky decomposition; when AᵀWA is not safely positive definite (rank deficiency, too
 * few coalitions) it falls back to QR of √W·A, and to the minimum-norm SVD solution if that is rank deficient too.
 */
export function weightedLeastSquares(A: Dense, y: Float64Array, w: Float64Array): Float64Array {
  const { rows: n, cols: p, data } = A;
  const G = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const wi = w[i];
    const o = i * p;
    for (let j = 0; j < p; j++) {
      const a = data[o + j] * wi;
      if (a === 0) continue;
      b[j] += a * y[i];
      for (let k = j; k < p; k++) G[j * p + k] += a * data[o + k];
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) G[j * p + k] = G[k * p + j];
  if (n >= p) {
    const chol = new CholeskyDecomposition(MlMatrix.from1DArray(p, p, G));
    if (chol.isPositiveDefinite()) {
      const L = chol.lowerTriangularMatrix;
      let minD = Number.POSITIVE_INFINITY;
      let maxD = 0;
      for (let j = 0; j < p; j++) {
        const d = L.get(j, j);
        minD = Math.min(minD, d);
        maxD = Math.max(maxD, d);
      }
      // (min/max pivot)^2 bounds the reciprocal condition number from above; below 1e-10 prefer QR.
      if ((minD / maxD) ** 2 > 1e-10)
        return Float64Array.from(chol.solve(MlMatrix.columnVector(Array.from(b))).getColumn(0));
    }
  }
  const sw = new Float64Array(n);
  for (let i = 0; i < n; i++) sw[i] = Math.sqrt(w[i]);
  const Aw = new Float64Array(n * p);
  const yw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    yw[i] = sw[i] * y[i];
    for (let j = 0; j < p; j++) Aw[i * p + j] = sw[i] * data[i * p + j];
  }
  return ols({ data: Aw, rows: n, cols: p }, yw);
}

/**
 * KernelSHAP's estimate for one output: phi over the M varying players, summing exactly to fx − fnull.
 * `ey[i]` is the linked coalition value of coalition i; the efficiency constraint is imposed by eliminating
 * the last selected variable, as shap does.
 */
export function kernelSolve(
  c: KernelCoalitions,
  M: number,
  ey: Float64Array,
  fnull: number,
  fx: number,
  spec: L1Spec,
  fractionEvaluated: number,
): Float64Array {
  const n = c.count;
  const total = fx - fnull;
  const eyAdj = ey.map((v) => v - fnull);
  let selected = Array.from({ length: M }, (_, j) => j);
  const useL1 = spec.kind !== 'none' && (spec.kind !== 'auto' || fractionEvaluated < 0.2);
  if (useL1) {
    const effective: L1Spec = spec.kind === 'auto' ? { kind: 'aic' } : spec;
    // shap's augmentation folds the efficiency constraint into the L1 problem.
    const Xa = new Float64Array(2 * n * M);
    const ya = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < M; j++) s += c.masks[i * M + j];
      const a = Math.sqrt(c.weights[i] * (M - s));
      const b = Math.sqrt(c.weights[i] * s);
      ya[i] = a * eyAdj[i];
      ya[n + i] = b * (eyAdj[i] - total);
      for (let j = 0; j < M; j++) {
        const m = c.masks[i * M + j];
        Xa[i * M + j] = a * m;
        Xa[(n + i) * M + j] = b * (m - 1);
      }
    }
    const picked = l1Select({ data: Xa, rows: 2 * n, cols: M }, ya, effective);
    // Nothing selected (or no criterion): keep every feature rather than break efficiency.
    if (picked && picked.length > 0) selected = picked;
  }
  const phi = new Float64Array(M);
  const m = selected.length;
  const last = selected[m - 1];
  if (m === 1) {
    phi[last] = total;
    return phi;
  }
  const A = new Float64Array(n * (m - 1));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const zl = c.masks[i * M + last];
    y[i] = eyAdj[i] - zl * total;
    for (let j = 0; j < m - 1; j++) A[i * (m - 1) + j] = c.masks[i * M + selected[j]] - zl;
  }
  const w = weightedLeastSquares({ data: A, rows: n, cols: m - 1 }, y, c.weights);
  let sum = 0;
  for (let j = 0; j < m - 1; j++) {
    phi[selected[j]] = w[j];
    sum += w[j];
  }
  phi[last] = total - sum;
  // Round-off leaves ~1e-16 on features with no effect; zero those and keep the sum exact.
  let scale = Math.abs(total);
  for (let j = 0; j < M; j++) scale = Math.max(scale, Math.abs(phi[j]));
  let removed = 0;
  let biggest = 0;
  for (let j = 0; j < M; j++) {
    if (Math.abs(phi[j]) > Math.abs(phi[biggest])) biggest = j;
    if (phi[j] !== 0 && Math.abs(phi[j]) < 1e-10 * scale) {
      removed += phi[j];
      phi[j] = 0;
    }
  }
  phi[biggest] += removed;
  for (let j = 0; j < M; j++) if (phi[j] === 0) phi[j] = 0; // no −0 in results
  return phi;
}

import { Matrix as MlMatrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { argumentError } from './errors.js';
import type { Dense } from './matrix.js';

/** The LARS path: the regularisation and the coefficients at each knot, and the active variables. */
export interface LarsPath {
  /** Regularisation at each knot: max |correlation| / n, decreasing. */
  alphas: number[];
  /** Coefficients at each knot (the first is all zeros). */
  coefs: Float64Array[];
  /** Active variables at the end, in the order they entered. */
  active: number[];
}

/** Options of `larsPath`: plain least angle regression or the lasso variant, and the step limit. */
export interface LarsOptions {
  /** 'lar': least angle regression; 'lasso': the LARS-lasso modification that drops variables whose sign flips. */
  method?: 'lar' | 'lasso';
  /** Most steps (each adds or drops one variable). Default 500, as sklearn. */
  maxIter?: number;
}

const TINY32 = 1.1754943508222875e-38;
const EPS32 = 1.1920928955078125e-7;

/** Lower Cholesky factor of the symmetric matrix G restricted to `idx`; the last pivot is returned separately. */
function choleskyOf(G: Float64Array, p: number, idx: number[]): { L: Float64Array; lastPivot: number } {
  const k = idx.length;
  const L = new Float64Array(k * k);
  let lastPivot = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = G[idx[i] * p + idx[j]];
      for (let t = 0; t < j; t++) s -= L[i * k + t] * L[j * k + t];
      if (i === j) {
        const d = Math.sqrt(Math.abs(s));
        L[i * k + i] = Math.max(d, Number.EPSILON);
        lastPivot = d;
      } else {
        L[i * k + j] = s / L[j * k + j];
      }
    }
  }
  return { L, lastPivot };
}

function choleskySolve(L: Float64Array, k: number, b: Float64Array): Float64Array {
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let t = 0; t < i; t++) s -= L[i * k + t] * y[t];
    y[i] = s / L[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i];
    for (let t = i + 1; t < k; t++) s -= L[t * k + i] * y[t];
    y[i] = s / L[i * k + i];
  }
  return y;
}

/** XᵀX (p x p, row-major, both triangles filled) and Xᵀy; zero entries of X, common in coalition masks, are skipped. */
function normalEquations(X: Dense, y: Float64Array): { G: Float64Array; Xy: Float64Array } {
  const { rows: n, cols: p, data } = X;
  const G = new Float64Array(p * p);
  const Xy = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const o = r * p;
    for (let i = 0; i < p; i++) {
      const xi = data[o + i];
      if (xi === 0) continue;
      Xy[i] += xi * y[r];
      for (let j = i; j < p; j++) G[i * p + j] += xi * data[o + j];
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) G[i * p + j] = G[j * p + i];
  return { G, Xy };
}

/**
 * The LARS / LARS-lasso path of y on the columns of X (no intercept, no scaling), following Efron et al. (2004)
 * and sklearn's `lars_path` conventions (alpha = max correlation / n; a degenerate variable is set aside).
 */
export function larsPath(X: Dense, y: Float64Array, options: LarsOptions = {}): LarsPath {
  const method = options.method ?? 'lar';
  const maxIter = options.maxIter ?? 500;
  if (method !== 'lar' && method !== 'lasso') throw argumentError('method', '"lar" or "lasso"', method);
  if (!Number.isInteger(maxIter) || maxIter < 0)
    throw argumentError('maxIter', 'a non-negative integer', maxIter);
  const { rows: n, cols: p } = X;
  if (y.length !== n) throw argumentError('y', `${n} values`, y.length);
  const { G, Xy } = normalEquations(X, y);

  const beta = new Float64Array(p);
  const isActive = new Uint8Array(p);
  const excluded = new Uint8Array(p);
  let active: number[] = [];
  let signs: number[] = [];
  let L: Float64Array = new Float64Array(0);
  const alphas: number[] = [];
  const coefs: Float64Array[] = [];
  const c = new Float64Array(p);
  let drop = false;
  let iter = 0;
  for (;;) {
    for (let j = 0; j < p; j++) {
      let s = Xy[j];
      for (let t = 0; t < p; t++) s -= G[j * p + t] * beta[t];
      c[j] = s;
    }
    let C = 0;
    let cIdx = -1;
    for (let j = 0; j < p; j++) {
      if (isActive[j] || excluded[j]) continue;
      if (cIdx < 0 || Math.abs(c[j]) > C) {
        C = Math.abs(c[j]);
        cIdx = j;
      }
    }
    if (cIdx < 0) C = 0;
    const alpha = C / n;
    alphas.push(alpha);
    coefs.push(beta.slice());
    if (alpha <= EPS32) break;
    if (iter >= maxIter || active.length >= p) break;
    if (!drop) {
      const trial = [...active, cIdx];
      const chol = choleskyOf(G, p, trial);
      if (chol.lastPivot < 1e-7) {
        // Collinear with the active set: set it aside for good and look again.
        excluded[cIdx] = 1;
        alphas.pop();
        coefs.pop();
        continue;
      }
      active = trial;
      signs = [...signs, Math.sign(c[cIdx]) || 1];
      isActive[cIdx] = 1;
      L = chol.L;
    }
    const k = active.length;
    if (method === 'lasso' && iter > 0 && alphas[alphas.length - 2] < alpha) break;
    let w: Float64Array = choleskySolve(L, k, Float64Array.from(signs));
    let norm = 0;
    for (let i = 0; i < k; i++) norm += w[i] * signs[i];
    for (let bump = 0; !(norm > 0) || !Number.isFinite(norm); bump++) {
      // Ill-conditioned active set: nudge the diagonal until the direction is defined (as sklearn does).
      const Lr = L.slice();
      for (let i = 0; i < k; i++) Lr[i * k + i] += 2 ** bump * Number.EPSILON;
      w = choleskySolve(Lr, k, Float64Array.from(signs));
      norm = 0;
      for (let i = 0; i < k; i++) norm += w[i] * signs[i];
      if (bump > 60) break;
    }
    const AA = 1 / Math.sqrt(Math.max(norm, Number.EPSILON));
    const u = w.map((v) => v * AA);
    let gamma = C / AA;
    for (let j = 0; j < p; j++) {
      if (isActive[j] || excluded[j]) continue;
      let a = 0;
      for (let i = 0; i < k; i++) a += G[j * p + active[i]] * u[i];
      const g1 = (C - c[j]) / (AA - a + TINY32);
      const g2 = (C + c[j]) / (AA + a + TINY32);
      if (g1 > 0 && g1 < gamma) gamma = g1;
      if (g2 > 0 && g2 < gamma) gamma = g2;
    }
    drop = false;
    let zMin = Number.POSITIVE_INFINITY;
    const z = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      z[i] = -beta[active[i]] / (u[i] + TINY32);
      if (z[i] > 0 && z[i] < zMin) zMin = z[i];
    }
    const flipped: number[] = [];
    if (zMin < gamma) {
      for (let i = 0; i < k; i++) if (z[i] === zMin) flipped.push(i);
      for (const i of flipped) signs[i] = -signs[i];
      if (method === 'lasso') gamma = zMin;
      drop = true;
    }
    iter++;
    for (let i = 0; i < k; i++) beta[active[i]] += gamma * u[i];
    if (drop && method === 'lasso') {
      const gone = new Set(flipped);
      for (const i of flipped) {
        beta[active[i]] = 0;
        isActive[active[i]] = 0;
      }
      active = active.filter((_, i) => !gone.has(i));
      signs = signs.filter((_, i) => !gone.has(i));
      L = choleskyOf(G, p, active).L;
    }
  }
  return { alphas, coefs, active };
}

/** Least-squares solution of X b = y with the smallest norm (SVD, numpy's default cut-off). */
export function lstsq(X: Dense, y: Float64Array): Float64Array {
  const { rows: n, cols: p } = X;
  const svd = new SingularValueDecomposition(MlMatrix.from1DArray(n, p, X.data), { autoTranspose: true });
  const s = svd.diagonal;
  const U = svd.leftSingularVectors.to1DArray();
  const V = svd.rightSingularVectors.to1DArray();
  const r = s.length;
  const cutoff = Math.max(n, p) * Number.EPSILON * (s[0] ?? 0);
  const out = new Float64Array(p);
  for (let t = 0; t < r; t++) {
    if (!(s[t] > cutoff)) continue;
    let uy = 0;
    for (let i = 0; i < n; i++) uy += U[i * r + t] * y[i];
    const f = uy / s[t];
    for (let j = 0; j < p; j++) out[j] += V[j * r + t] * f;
  }
  return out;
}

/** Ordinary least squares by QR (ml-matrix), falling back to the minimum-norm SVD solution when rank deficient. */
export function ols(X: Dense, y: Float64Array): Float64Array {
  const { rows: n, cols: p } = X;
  if (n >= p) {
    const qr = new QrDecomposition(MlMatrix.from1DArray(n, p, X.data));
    const R = qr.upperTriangularMatrix;
    let maxD = 0;
    let minD = Number.POSITIVE_INFINITY;
    for (let j = 0; j < p; j++) {
      const d = Math.abs(R.get(j, j));
      maxD = Math.max(maxD, d);
      minD = Math.min(minD, d);
    }
    if (maxD > 0 && minD > 1e-10 * maxD)
      return Float64Array.from(qr.solve(MlMatrix.columnVector(Array.from(y))).getColumn(0));
  }
  return lstsq(X, y);
}

/**
 * OLS through the normal equations (Cholesky of XᵀX), which is all the noise-variance estimate needs; falls back to
 * QR / SVD when XᵀX is close to singular.
 */
function olsFast(X: Dense, y: Float64Array): Float64Array {
  const p = X.cols;
  const { G, Xy } = normalEquations(X, y);
  const all = Array.from({ length: p }, (_, j) => j);
  const { L } = choleskyOf(G, p, all);
  let ok = true;
  for (let j = 0; j < p; j++)
    if (!(L[j * p + j] ** 2 > 1e-10 * Math.max(G[j * p + j], Number.MIN_VALUE))) ok = false;
  return ok ? choleskySolve(L, p, Xy) : ols(X, y);
}

/** A lasso fit picked on the LARS path by an information criterion: the coefficients, their alpha and the criterion per knot. */
export interface LassoIC {
  coef: Float64Array;
  alpha: number;
  /** The information criterion at each knot of the path. */
  criterion: number[];
  path: LarsPath;
}

/**
 * sklearn's LassoLarsIC (1.2+, fit_intercept=True): the LARS-lasso path on centred data, each knot scored by
 * n·log(2πσ²) + RSS/σ² + c·df with c = 2 (AIC) or log n (BIC), df = non-zero coefficients and σ² the OLS
 * residual variance RSS_ols / (n − p − 1). Throws if n ≤ p + 1 (σ² undefined). When the OLS fit is exact
 * (σ² ≈ 0), σ² is floored at 1e-12 of y's variance so the sparsest exact knot wins instead of NaNs.
 */
export function lassoLarsIC(X: Dense, y: Float64Array, criterion: 'aic' | 'bic'): LassoIC {
  const { rows: n, cols: p } = X;
  if (n <= p + 1)
    throw argumentError('X', `more than ${p + 1} rows to estimate the noise variance`, `${n} rows`);
  const Xc = new Float64Array(X.data);
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += Xc[i * p + j];
    m /= n;
    for (let i = 0; i < n; i++) Xc[i * p + j] -= m;
  }
  const ym = y.reduce((a, b) => a + b, 0) / n;
  const yc = y.map((v) => v - ym);
  const centred: Dense = { data: Xc, rows: n, cols: p };
  const path = larsPath(centred, yc, { method: 'lasso', maxIter: 500 });
  const rss = (coef: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let r = yc[i];
      for (let j = 0; j < p; j++) r -= Xc[i * p + j] * coef[j];
      s += r * r;
    }
    return s;
  };
  let yVar = 0;
  for (const v of yc) yVar += (v * v) / n;
  const sigma2 = Math.max(rss(olsFast(centred, yc)) / (n - p - 1), 1e-12 * yVar, Number.MIN_VALUE);
  const factor = criterion === 'aic' ? 2 : Math.log(n);
  const scores = path.coefs.map((coef) => {
    let df = 0;
    for (const v of coef) if (Math.abs(v) > Number.EPSILON) df++;
    return n * Math.log(2 * Math.PI * sigma2) + rss(coef) / sigma2 + factor * df;
  });
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] < scores[best]) best = i;
  return { coef: path.coefs[best], alpha: path.alphas[best], criterion: scores, path };
}

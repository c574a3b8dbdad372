import * as tf from '@tensorflow/tfjs-core';

/** Options of `gradCheck`: the finite-difference step and the tolerances. */
export interface GradCheckOptions {
  /** Step of the central difference. tfjs computes in float32, so it cannot be tiny. */
  eps?: number;
  rtol?: number;
  atol?: number;
}

/** What `gradCheck` found: whether the analytic and numeric gradients agree, the largest error, and both gradients. */
export interface GradCheckResult {
  ok: boolean;
  maxAbsError: number;
  /** Per input: analytic and numeric gradients, flattened. */
  analytic: Float32Array[];
  numeric: Float32Array[];
  /** The worst element: which input, which flat index. */
  worst: { input: number; index: number; analytic: number; numeric: number } | null;
}

/**
 * Compares tfjs's gradient of a scalar function with central finite differences,
 * (f(x + eps) - f(x - eps)) / 2eps, one element at a time. An element passes when
 * |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|).
 */
export function gradCheck(
  f: (...inputs: tf.Tensor[]) => tf.Scalar,
  inputs: tf.Tensor[],
  options: GradCheckOptions = {},
): GradCheckResult {
  const { eps = 5e-3, rtol = 2e-2, atol = 2e-3 } = options;
  const analyticTensors = tf.grads((...xs: tf.Tensor[]) => f(...xs))(inputs);
  const analytic = analyticTensors.map((g) => g.dataSync() as Float32Array);
  tf.dispose(analyticTensors);

  const values = inputs.map((x) => Float32Array.from(x.dataSync()));
  const evaluate = (): number =>
    tf.tidy(() => {
      const xs = values.map((v, i) => tf.tensor(v, inputs[i].shape, 'float32'));
      return f(...xs).dataSync()[0];
    });

  const numeric = values.map((v) => new Float32Array(v.length));
  let ok = true;
  let maxAbsError = 0;
  let worst: GradCheckResult['worst'] = null;
  let worstExcess = -Infinity;
  values.forEach((v, i) => {
    for (let j = 0; j < v.length; j++) {
      const original = v[j];
      v[j] = original + eps;
      const plus = evaluate();
      v[j] = original - eps;
      const minus = evaluate();
      v[j] = original;
      const n = (plus - minus) / (2 * eps);
      numeric[i][j] = n;
      const a = analytic[i][j];
      const err = Math.abs(a - n);
      const allowed = atol + rtol * Math.max(Math.abs(a), Math.abs(n));
      maxAbsError = Math.max(maxAbsError, err);
      if (!(err <= allowed)) ok = false;
      if (err - allowed > worstExcess) {
        worstExcess = err - allowed;
        worst = { input: i, index: j, analytic: a, numeric: n };
      }
    }
  });
  return { ok, maxAbsError, analytic, numeric, worst };
}

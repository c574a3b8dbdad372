import type { Parameter } from '@descent/layers';
import { tf } from '@descent/tensor';

export interface ParamGradCheckResult {
  ok: boolean;
  worst: { parameter: number; index: number; analytic: number; numeric: number } | null;
}

/**
 * gradCheck for a layer's own parameters: tf.variableGrads of `loss` against central differences
 * made by writing w ± eps into each variable element in turn (then restoring it). Same tolerance
 * rule as @descent/tensor's gradCheck: |a - n| <= atol + rtol · max(|a|, |n|).
 */
export function paramGradCheck(
  loss: () => tf.Scalar,
  params: Parameter[],
  { eps = 5e-3, rtol = 2e-2, atol = 2e-3 } = {},
): ParamGradCheckResult {
  const variables = params.map((p) => p.variable);
  const { value, grads } = tf.variableGrads(loss, variables);
  const analytic = variables.map((v) => Float32Array.from(grads[v.name].dataSync()));
  tf.dispose([value, ...Object.values(grads)]);
  const evaluate = () => tf.tidy(() => loss().dataSync()[0]);
  let ok = true;
  let worst: ParamGradCheckResult['worst'] = null;
  let worstExcess = -Infinity;
  variables.forEach((v, p) => {
    const original = Float32Array.from(v.dataSync());
    const trial = Float32Array.from(original);
    const set = () => tf.tidy(() => v.assign(tf.tensor(trial, v.shape, 'float32')));
    for (let i = 0; i < trial.length; i++) {
      trial[i] = original[i] + eps;
      set();
      const plus = evaluate();
      trial[i] = original[i] - eps;
      set();
      const minus = evaluate();
      trial[i] = original[i];
      const numeric = (plus - minus) / (2 * eps);
      const a = analytic[p][i];
      const excess = Math.abs(a - numeric) - (atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)));
      if (!(excess <= 0)) ok = false;
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = { parameter: p, index: i, analytic: a, numeric };
      }
    }
    set();
  });
  return { ok, worst };
}

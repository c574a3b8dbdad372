import { type GradCheckOptions, type GradCheckResult, gradCheck, randn, tf } from '@descent/tensor';
import type { Module } from '../src/module';

export interface LayerGradReport {
  input: GradCheckResult;
  parameters: [string, GradCheckResult][];
}

/**
 * Checks a layer's gradients by central finite differences (gradCheck) of the scalar
 * sum(forward(x) * R), R a fixed random tensor, with respect to the input and to each parameter.
 * For a parameter, the function under check assigns the perturbed values into the parameter's
 * variable, so the numeric side really perturbs the layer, while the analytic side is tfjs's
 * gradient with respect to that variable. Each variable gets its value back afterwards.
 */
export function checkLayerGradients(
  layer: Module,
  x: tf.Tensor,
  options: GradCheckOptions = {},
  forward: (input: tf.Tensor) => tf.Tensor = (input) => layer.forward(input),
): LayerGradReport {
  const outShape = tf.tidy(() => forward(x).shape);
  const r = randn(outShape, 1234);
  const loss = (input: tf.Tensor) => tf.sum(tf.mul(forward(input), r)) as tf.Scalar;
  const input = gradCheck((xi) => loss(xi), [x], options);
  const parameters: [string, GradCheckResult][] = layer.namedParameters().map(([name, p]) => {
    const original = tf.clone(p.variable);
    try {
      const result = gradCheck(
        (w) => {
          if (w !== p.variable) p.variable.assign(w);
          return loss(x);
        },
        [p.variable],
        options,
      );
      return [name, result];
    } finally {
      p.variable.assign(original);
      original.dispose();
    }
  });
  r.dispose();
  return { input, parameters };
}

/** An assertion message that shows the worst element when a check fails. */
export const worst = (label: string, r: GradCheckResult) =>
  `${label}: max |analytic - numeric| ${r.maxAbsError}, worst ${JSON.stringify(r.worst)}`;

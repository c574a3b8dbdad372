import { compile, type Sequential } from '@descent/layers';
import { tf } from '@descent/tensor';
import { expect } from 'vitest';
import { randomArray } from './reference';

// Holds the compiled path (compile(model)) to the plain per-layer NCHW path (`model.call`): same
// outputs, same gradients for the input and every parameter, same running statistics.

export const TOLERANCE = 2e-5;

/** max |a - b| over max |a|, 0 for two zero tensors. */
export function relativeGap(a: tf.Tensor, b: tf.Tensor): number {
  expect(b.shape).toEqual(a.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let gap = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    gap = Math.max(gap, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(x[i]));
  }
  return scale === 0 ? gap : gap / scale;
}

export const images = (shape: [number, number, number, number], seed: number) =>
  tf.tensor4d(randomArray(shape[0] * shape[1] * shape[2] * shape[3], seed), shape);

interface Pass {
  output: tf.Tensor;
  loss: tf.Scalar;
  input: tf.Tensor;
  params: tf.Tensor[];
}

/** The compiled forward, or the model's own `call`. */
export function forwardOf(model: Sequential, compiled: boolean): (x: tf.Tensor) => tf.Tensor {
  const fast = compile(model);
  return compiled ? (x) => fast.forward(x) : (x) => model.call(x);
}

/** Forward, and the gradients of sum(output · r) for the input and each trainable parameter. */
function pass(model: Sequential, x: tf.Tensor, compiled: boolean): Pass {
  const forward = forwardOf(model, compiled);
  const variables = model.trainableParameters().map((p) => p.variable);
  return tf.tidy(() => {
    const output = forward(x);
    const r = tf.tensor(randomArray(output.size, 99), output.shape);
    const objective = (input: tf.Tensor) => tf.sum(tf.mul(forward(input), r)) as tf.Scalar;
    const input = tf.grad(objective)(x);
    const { value, grads } = tf.variableGrads(() => objective(x), variables);
    return { output, loss: value, input, params: variables.map((v) => grads[v.name]) };
  });
}

/**
 * The same model built twice (same seeds: same weights, same dropout masks), one per path;
 * returns the largest relative gap over outputs, gradients and the state after the passes.
 */
export function compare(make: () => Sequential, x: tf.Tensor): number {
  const models = [make(), make()];
  const [plain, fast] = [pass(models[0], x, false), pass(models[1], x, true)];
  const [plainState, fastState] = models.map((m) => m.stateDict());
  const gaps = [
    relativeGap(plain.output, fast.output),
    relativeGap(plain.loss, fast.loss),
    relativeGap(plain.input, fast.input),
    ...plain.params.map((g, i) => relativeGap(g, fast.params[i])),
    // Buffers (running statistics) moved by the same amounts on both paths.
    ...Object.keys(plainState).map((name) => relativeGap(plainState[name], fastState[name])),
  ];
  tf.dispose([plain, fast].flatMap((p) => [p.output, p.loss, p.input, ...p.params]));
  tf.dispose([...Object.values(plainState), ...Object.values(fastState)]);
  for (const m of models) m.dispose();
  return Math.max(...gaps);
}

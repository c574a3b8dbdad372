import { gradCheck, leakGuard, type Tensor, tf } from '@descent/tensor';
import { expect } from 'vitest';

/** Reads a tensor as plain numbers and frees it. */
export function read(t: Tensor): number[] {
  const values = Array.from(t.dataSync());
  t.dispose();
  return values;
}

/** Reads a scalar tensor and frees it. */
export function scalarOf(t: Tensor): number {
  expect(t.shape).toEqual([]);
  return read(t)[0];
}

/** Each element within tol of the expected value (absolute plus the same relative tolerance). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const allowed = tol * (1 + Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= allowed)) {
      throw new Error(`element ${i}: expected ${expected[i]} ± ${allowed}, found ${actual[i]}`);
    }
  }
}

/**
 * Runs a loss call and checks that it leaves exactly its result behind (everything else was
 * tidied), then that disposing the result restores the tensor count.
 */
export function expectTidy(call: () => Tensor): void {
  const guard = leakGuard();
  const out = call();
  expect(guard.leaked()).toBe(1);
  out.dispose();
  guard.check('loss call');
}

/** Same for a gradient: only the gradient tensor survives tf.grad. */
export function expectTidyGrad(loss: (x: Tensor) => Tensor, x: Tensor): void {
  const guard = leakGuard();
  const g = tf.grad((v: Tensor) => loss(v))(x);
  expect(guard.leaked()).toBe(1);
  g.dispose();
  guard.check('gradient');
}

/** Fixed, non-trivial weights, so that a gradient check of reduction 'none' sees the whole Jacobian. */
export function weightsLike(shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from({ length: size }, (_, i) => 0.5 + ((i * 7) % 5) / 4),
    shape,
  );
}

export type Reducing = (reduction: 'mean' | 'sum' | 'none', ...inputs: Tensor[]) => Tensor;

/**
 * gradCheck of a loss under every reduction; 'none' is weighted and summed so the check covers
 * every element's gradient. The inputs checked are all of `inputs` (e.g. [input] or [input, target]).
 */
export function expectGradientsMatch(loss: Reducing, inputs: Tensor[]): void {
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    let w: Tensor | undefined;
    if (reduction === 'none') {
      const probe = loss('none', ...inputs);
      w = weightsLike(probe.shape);
      probe.dispose();
    }
    const scalar = (...xs: Tensor[]): tf.Scalar =>
      tf.tidy(() => {
        const out = loss(reduction, ...xs);
        return (w ? tf.sum(tf.mul(out, w)) : out) as tf.Scalar;
      });
    const result = gradCheck(scalar, inputs);
    w?.dispose();
    if (!result.ok) {
      throw new Error(`reduction ${reduction}: gradient mismatch at ${JSON.stringify(result.worst)}`);
    }
  }
}

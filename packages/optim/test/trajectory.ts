import { type NamedTensorMap, tf } from '@descent/tensor';
import type { Optimizer, OptimParam } from '../src/index';

/**
 * Runs an optimizer on one vector parameter starting at `x0`, feeding it `grads[t]` at step t,
 * and returns the parameter after each step. The gradients are fixed numbers, so a float64
 * reference of the published formula can follow the same sequence.
 */
export function trajectory(
  make: (params: OptimParam[]) => Optimizer,
  x0: number[],
  grads: number[][],
): number[][] {
  const x = tf.variable(tf.tensor1d(x0));
  const opt = make([x]);
  const out: number[][] = [];
  for (const g of grads) {
    const map: NamedTensorMap = { [x.name]: tf.tensor1d(g) };
    opt.step(map);
    map[x.name].dispose();
    out.push(Array.from(x.dataSync()));
  }
  opt.dispose();
  x.dispose();
  return out;
}

export function expectClose(actual: number[][], expected: number[][], tol = 1e-5): void {
  if (actual.length !== expected.length)
    throw new Error(`expected ${expected.length} steps, found ${actual.length}`);
  for (let t = 0; t < expected.length; t++) {
    for (let i = 0; i < expected[t].length; i++) {
      const [a, e] = [actual[t][i], expected[t][i]];
      if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) {
        throw new Error(`step ${t + 1}, element ${i}: expected ${e}, found ${a} (tolerance ${tol})`);
      }
    }
  }
}

/** A fixed gradient sequence: 4 steps on a 3-vector with mixed signs and sizes. */
export const X0 = [0.5, -1.25, 2];
export const GRADS = [
  [0.3, -0.8, 1.5],
  [-0.2, -0.5, 0.9],
  [0.6, 0.1, -0.4],
  [0.05, -1.2, 0.7],
];

/** Minimises sum((x - c)^2) with tf.variableGrads and returns the final x. */
export function minimiseQuadratic(
  make: (params: OptimParam[]) => Optimizer,
  steps: number,
): { x: number[]; c: number[] } {
  const c = [1.5, -2, 0.25];
  const target = tf.tensor1d(c);
  const x = tf.variable(tf.zeros([3]));
  const opt = make([x]);
  for (let i = 0; i < steps; i++) {
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(x, target))) as tf.Scalar, [x]);
    opt.step(grads);
    tf.dispose([value, grads]);
  }
  const result = Array.from(x.dataSync());
  opt.dispose();
  tf.dispose([x, target]);
  return { x: result, c };
}

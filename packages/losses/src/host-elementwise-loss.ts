import { onHostBackend, type Tensor, tf } from '@descent/tensor';
import type { Reduction } from './reduction';

/** A loss term and its two partial derivatives at one (prediction, target) pair. */
export interface ElementwiseLoss {
  value(p: number, y: number): number;
  dInput(p: number, y: number): number;
  dTarget(p: number, y: number): number;
}

/**
 * An element-by-element loss and its reduction worked out on the host in one taped op, the way
 * host-cross-entropy.ts does for cross-entropy: tfjs's own route is five to thirty small kernels
 * with their gradients, whose fixed costs dominate the step of a small network. Sums run in
 * float64. Undefined where it does not apply (a GPU backend, or input or target not float32).
 */
export function hostElementwiseLoss(
  loss: ElementwiseLoss,
  input: Tensor,
  target: Tensor,
  reduction: Reduction,
): Tensor | undefined {
  if (!onHostBackend() || input.dtype !== 'float32' || target.dtype !== 'float32') return undefined;
  const n = input.size;
  const shape = input.shape;
  const onHost = (x: Tensor, t: Tensor) => {
    const p = x.dataSync() as Float32Array;
    const y = t.dataSync();
    const terms = new Float32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = loss.value(p[i], y[i]);
      terms[i] = v;
      total += v;
    }
    const value =
      reduction === 'none' ? tf.tensor(terms, shape) : tf.scalar(reduction === 'mean' ? total / n : total);
    return {
      value,
      gradFunc: (dy: Tensor) => {
        const upstream = dy.dataSync();
        const scale = reduction === 'mean' ? 1 / n : 1;
        const dx = new Float32Array(n);
        const dt = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          const g = (reduction === 'none' ? upstream[i] : upstream[0]) * scale;
          dx[i] = g * loss.dInput(p[i], y[i]);
          dt[i] = g * loss.dTarget(p[i], y[i]);
        }
        return [tf.tensor(dx, shape), tf.tensor(dt, shape)];
      },
    };
  };
  return tf.customGrad(onHost as unknown as Parameters<typeof tf.customGrad>[0])(input, target) as Tensor;
}

import { onHostBackend, type Tensor, tf } from '@descent/tensor';
import { type Reduction, reduce } from './reduction';

/**
 * Cross-entropy of logits [N, C] against class indices [N], worked out on the host in one pass:
 * per row the log-sum-exp (max subtracted first) in float64, the loss `lse - x[label]` and the
 * gradient `softmax(x) - onehot(label)`, which is kept for the backward pass. tfjs's own route
 * (logSoftmax, oneHot, multiply, sum, mean and their gradients) is about twenty small kernels,
 * each with a fixed cost that dominates for a [64, 10] batch. Undefined where it does not apply:
 * a GPU backend (reading there would stall the pipeline) or an input that is not float32.
 */
export function hostCrossEntropy(input: Tensor, target: Tensor, reduction: Reduction): Tensor | undefined {
  if (!onHostBackend() || input.dtype !== 'float32') return undefined;
  const [n, c] = input.shape as [number, number];
  const crossEntropyOnHost = (x: Tensor, save: tf.GradSaveFunc) => {
    const logits = x.dataSync() as Float32Array;
    const labels = target.dataSync();
    const losses = new Float32Array(n);
    const grad = new Float32Array(n * c);
    for (let i = 0; i < n; i++) {
      const row = i * c;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < c; j++) max = Math.max(max, logits[row + j]);
      let sum = 0;
      for (let j = 0; j < c; j++) sum += Math.exp(logits[row + j] - max);
      const lse = max + Math.log(sum);
      const label = labels[i];
      losses[i] = lse - logits[row + label];
      for (let j = 0; j < c; j++) grad[row + j] = Math.exp(logits[row + j] - lse) - (j === label ? 1 : 0);
    }
    const g = tf.tensor2d(grad, [n, c]);
    save([g]);
    const perSample = tf.tensor1d(losses);
    const value = reduce(perSample, reduction);
    if (value !== perSample) perSample.dispose();
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const scale = reduction === 'mean' ? 1 / n : 1;
        const upstream = reduction === 'none' ? tf.reshape(dy, [n, 1]) : dy;
        return tf.mul(saved[0], scale === 1 ? upstream : tf.mul(upstream, scale));
      },
    };
  };
  return tf.customGrad(crossEntropyOnHost as unknown as Parameters<typeof tf.customGrad>[0])(input);
}

import { DescentArgumentError, readIfResident, type Tensor, tf } from '@descent/tensor';
import {
  asFloat,
  checkInput,
  checkNumber,
  checkOptions,
  checkRange,
  checkTarget,
  formatFloat32,
  position,
} from './check';
import type { ReductionOptions } from './mse';
import { checkReduction, reduce } from './reduction';

export interface CrossEntropyOptions extends ReductionOptions {
  /**
   * In [0, 1]: the target becomes (1 - labelSmoothing) target + labelSmoothing / C, as torch's
   * label_smoothing. Default 0.
   */
  labelSmoothing?: number;
}

/**
 * Throws at the first class index that is not an integer in [0, classes). Skipped where the
 * values could only be read by a synchronous GPU readback (see `readIfResident` in @descent/tensor).
 */
function checkClassIndices(target: Tensor, classes: number): void {
  const data = readIfResident(target);
  if (data === null) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) {
      throw new DescentArgumentError(
        `crossEntropy: target: expected class indices, integers in [0, ${classes}), found ${formatFloat32(v)} at ${position(target.shape, i)}`,
      );
    }
  }
}

/**
 * Cross-entropy of logits [N, C] against either class indices [N] (int32, or float32 holding
 * integers) or class probabilities / one-hot rows [N, C], like torch.nn.functional.cross_entropy.
 * Uses log-softmax, so large logits are safe. reduction 'none' gives one loss per sample, shape [N].
 * The target's values are checked; on WebGPU only while they are still on the host (see
 * `readIfResident` in @descent/tensor), since a loss cannot await a GPU read.
 */
export function crossEntropy(input: Tensor, target: Tensor, options?: CrossEntropyOptions): Tensor {
  const opts = checkOptions<CrossEntropyOptions>('crossEntropy', options, ['reduction', 'labelSmoothing']);
  const reduction = checkReduction('crossEntropy', opts.reduction);
  const smoothing = checkNumber('crossEntropy', 'labelSmoothing', opts.labelSmoothing ?? 0, {
    min: 0,
    max: 1,
  });
  checkInput('crossEntropy', 'input', input);
  if (input.rank !== 2 || (input.shape[1] ?? 0) < 1) {
    throw new DescentArgumentError(
      `crossEntropy: input: expected logits of shape [N, C] with C >= 1, found shape [${input.shape.join(', ')}]`,
    );
  }
  checkTarget('crossEntropy', target);
  const [n, c] = input.shape;
  const indices = target.rank === 1 && target.shape[0] === n;
  const probabilities = target.rank === 2 && target.shape[0] === n && target.shape[1] === c;
  if (!indices && !probabilities) {
    throw new DescentArgumentError(
      `crossEntropy: target: expected shape [${n}] (class indices) or [${n}, ${c}] (class probabilities), found shape [${target.shape.join(', ')}]`,
    );
  }
  if (indices) {
    if (target.dtype === 'bool') {
      throw new DescentArgumentError(
        'crossEntropy: target: expected class indices of dtype int32 or float32, found dtype bool',
      );
    }
    checkClassIndices(target, c);
  } else {
    checkRange('crossEntropy', 'target', target, 0, 1);
  }
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(input, 1);
    let q = indices ? tf.cast(tf.oneHot(tf.cast(target, 'int32'), c), 'float32') : asFloat(target);
    if (smoothing > 0) q = tf.add(tf.mul(q, 1 - smoothing), smoothing / c);
    // -sum_c q_c log softmax(x)_c per sample
    return reduce(tf.neg(tf.sum(tf.mul(q, logProbs), 1)), reduction);
  });
}

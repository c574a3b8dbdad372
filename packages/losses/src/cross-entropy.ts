import { DescentArgumentError, describe, readIfResident, type Tensor, tf } from '@descent/tensor';
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
import { checkReduction, type Reduction, reduce } from './reduction';

/** Options of `crossEntropy`: the reduction, label smoothing and the like. */
export interface CrossEntropyOptions extends ReductionOptions {
  /**
   * In [0, 1]: the target becomes (1 - labelSmoothing) target + labelSmoothing / C, as torch's
   * label_smoothing. Default 0.
   */
  labelSmoothing?: number;
  /** One weight per class, a float32 tensor [C], as torch's weight: rescales each class's loss. */
  weight?: Tensor;
  /**
   * A target class index whose samples add nothing, neither to the loss nor to the mean's
   * denominator (torch's ignore_index; padding in a batch of sequences). Class indices only.
   * Default -100, as in PyTorch.
   */
  ignoreIndex?: number;
}

const DEFAULT_IGNORE_INDEX = -100;

/**
 * Throws at the first class index that is neither an integer in [0, classes) nor `ignoreIndex`;
 * returns how many are `ignoreIndex`. Skipped (returning undefined: unknown) where the values could
 * only be read by a synchronous GPU readback (see `readIfResident` in @descent/tensor).
 */
function checkClassIndices(target: Tensor, classes: number, ignoreIndex: number): number | undefined {
  const data = readIfResident(target);
  if (data === null) return undefined;
  let ignored = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v === ignoreIndex) ignored++;
    else if (!(Number.isInteger(v) && v >= 0 && v < classes)) {
      throw new DescentArgumentError(
        `crossEntropy: target: expected class indices, integers in [0, ${classes}), found ${formatFloat32(v)} at ${position(target.shape, i)}`,
      );
    }
  }
  return ignored;
}

/**
 * Cross-entropy of logits [N, C] against either class indices [N] (int32, or float32 holding
 * integers) or class probabilities / one-hot rows [N, C], like torch.nn.functional.cross_entropy.
 * Uses log-softmax, so large logits are safe. reduction 'none' gives one loss per sample, shape [N].
 * With q the target row (smoothed) and w the class weights, a sample's loss is
 * -sum_c w_c q_c log softmax(x)_c, and 0 for an ignored one; for class indices 'mean' divides the
 * sum by the summed weights w[target] of the samples not ignored, as PyTorch does.
 * The target's values are checked; on WebGPU only while they are still on the host (see
 * `readIfResident` in @descent/tensor), since a loss cannot await a GPU read.
 */
export function crossEntropy(input: Tensor, target: Tensor, options?: CrossEntropyOptions): Tensor {
  const opts = checkOptions<CrossEntropyOptions>('crossEntropy', options, [
    'reduction',
    'labelSmoothing',
    'weight',
    'ignoreIndex',
  ]);
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
  const weight = opts.weight === undefined ? undefined : checkInput('crossEntropy', 'weight', opts.weight);
  if (weight && (weight.rank !== 1 || weight.shape[0] !== c)) {
    throw new DescentArgumentError(
      `crossEntropy: weight: expected shape [${c}] (one weight per class), found shape [${weight.shape.join(', ')}]`,
    );
  }
  if (opts.ignoreIndex !== undefined && !indices) {
    throw new DescentArgumentError(
      'crossEntropy: ignoreIndex: expected class index targets, found class probabilities',
    );
  }
  const ignoreIndex = opts.ignoreIndex ?? DEFAULT_IGNORE_INDEX;
  if (!Number.isInteger(ignoreIndex)) {
    throw new DescentArgumentError(
      `crossEntropy: ignoreIndex: expected an integer, found ${describe(ignoreIndex)}`,
    );
  }
  let ignored: number | undefined = 0;
  if (indices) {
    if (target.dtype === 'bool') {
      throw new DescentArgumentError(
        'crossEntropy: target: expected class indices of dtype int32 or float32, found dtype bool',
      );
    }
    ignored = checkClassIndices(target, c, ignoreIndex);
  } else {
    checkRange('crossEntropy', 'target', target, 0, 1);
  }
  if (weight || ignored !== 0) {
    return weighted(input, target, indices, { reduction, smoothing, weight, ignoreIndex });
  }
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(input, 1);
    let q = indices ? tf.cast(tf.oneHot(tf.cast(target, 'int32'), c), 'float32') : asFloat(target);
    if (smoothing > 0) q = tf.add(tf.mul(q, 1 - smoothing), smoothing / c);
    // -sum_c q_c log softmax(x)_c per sample
    return reduce(tf.neg(tf.sum(tf.mul(q, logProbs), 1)), reduction);
  });
}

/**
 * The loss with class weights or ignored samples: each row's target is masked (0 where ignored)
 * and scaled by the weights before the sum, and 'mean' divides by the weights the kept targets
 * carry (their count without weights), not by N.
 */
function weighted(
  input: Tensor,
  target: Tensor,
  indices: boolean,
  o: { reduction: Reduction; smoothing: number; weight?: Tensor; ignoreIndex: number },
): Tensor {
  const c = input.shape[1] as number;
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(input, 1);
    const w = o.weight ?? tf.ones([c]);
    let q: Tensor;
    let kept: Tensor | undefined;
    if (indices) {
      const labels = tf.cast(target, 'int32');
      kept = tf.cast(tf.notEqual(labels, o.ignoreIndex), 'float32');
      const safe = tf.mul(labels, tf.cast(kept, 'int32'));
      q = tf.cast(tf.oneHot(safe, c), 'float32');
    } else {
      q = asFloat(target);
    }
    if (o.smoothing > 0) q = tf.add(tf.mul(q, 1 - o.smoothing), o.smoothing / c);
    let losses = tf.neg(tf.sum(tf.mul(tf.mul(q, w), logProbs), 1));
    if (kept) losses = tf.mul(losses, kept);
    if (o.reduction !== 'mean' || !kept) return reduce(losses, o.reduction);
    const labels = tf.mul(tf.cast(target, 'int32'), tf.cast(kept, 'int32'));
    return tf.div(tf.sum(losses), tf.sum(tf.mul(tf.gather(w, labels), kept)));
  });
}

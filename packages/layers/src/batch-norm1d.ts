import { argumentError, DescentArgumentError, tf } from '@descent/tensor';
import { BatchNorm, type BatchNormOptions } from './batch-norm';

/** Options of BatchNorm1d; the same as BatchNorm's. */
export type BatchNorm1dOptions = BatchNormOptions;

/**
 * Batch normalisation of features, like PyTorch's nn.BatchNorm1d: input [N, C] (features) or
 * [N, C, L] (a sequence per channel), each channel normalised over the batch (and L). The
 * formula, the running statistics and the options are BatchNorm's (batch-norm.ts).
 */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNorm1dOptions = {}) {
    super('BatchNorm1d', numFeatures, options);
  }

  forward(x: tf.Tensor): tf.Tensor {
    const where = `${this.label}: input`;
    if (!(x instanceof tf.Tensor)) throw argumentError(where, 'a tensor', x);
    if ((x.rank !== 2 && x.rank !== 3) || x.shape[1] !== this.numFeatures) {
      throw new DescentArgumentError(
        `${where}: expected shape [N, ${this.numFeatures}] or [N, ${this.numFeatures}, L], found [${x.shape.join(', ')}]`,
      );
    }
    if (x.dtype !== 'float32') throw argumentError(where, 'a float32 tensor', x);
    return this.normalise(x, x.rank === 2 ? [0] : [0, 2]);
  }
}

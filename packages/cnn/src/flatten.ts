import { Module, type ModuleConfig } from '@descent/layers';
import { argumentError, checkOptions, tf } from '@descent/tensor';

/** Options of Flatten: the first and last dimensions to merge into one, as in PyTorch's nn.Flatten. */
export interface FlattenOptions {
  startDim?: number;
  /** Negative counts from the end. */
  endDim?: number;
}

/**
 * Merges dimensions startDim..endDim into one, like PyTorch's nn.Flatten (default: all but the
 * batch). Because images are NCHW, [N, C, H, W] flattens channel by channel, row by row, in exactly
 * PyTorch's order, so a Linear after it takes PyTorch's weights unchanged.
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  /** `new Flatten(1, -1)` as in PyTorch, or `new Flatten({ startDim: 1, endDim: -1 })`. */
  constructor(startDim?: number | FlattenOptions, endDim?: number) {
    super();
    const options =
      typeof startDim === 'number'
        ? { startDim, endDim }
        : checkOptions<FlattenOptions>('Flatten', startDim, ['startDim', 'endDim']);
    if (typeof startDim !== 'number' && endDim !== undefined)
      throw argumentError('Flatten: endDim', 'nothing after an options object', endDim);
    const { startDim: start = 1, endDim: end = -1 } = options;
    if (!Number.isInteger(start)) throw argumentError('Flatten: startDim', 'an integer', start);
    if (!Number.isInteger(end)) throw argumentError('Flatten: endDim', 'an integer', end);
    this.startDim = start;
    this.endDim = end;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const where = `Flatten(${this.startDim}, ${this.endDim}): input`;
    if (!(x instanceof tf.Tensor)) throw argumentError(where, 'a tensor', x);
    const rank = x.rank;
    const start = this.startDim < 0 ? this.startDim + rank : this.startDim;
    const end = this.endDim < 0 ? this.endDim + rank : this.endDim;
    if (start < 0 || end >= rank || start > end) {
      throw argumentError(where, `a tensor with dimensions ${this.startDim} to ${this.endDim} in order`, x);
    }
    const merged = x.shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
    return tf.reshape(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
  }

  override toJSON(): ModuleConfig {
    return { type: 'Flatten', startDim: this.startDim, endDim: this.endDim };
  }
}

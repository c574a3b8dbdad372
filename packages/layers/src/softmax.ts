import { argumentError, tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { layerOptions } from './layer-options';
import { Module, type ModuleConfig } from './module';

/** Options of Softmax: the dimension it normalises over. */
export interface SoftmaxOptions {
  /** The dimension that sums to 1; negative counts from the end. */
  dim?: number;
}

/** exp(x) / sum(exp(x)) along `dim`. */
export class Softmax extends Module {
  readonly dim: number;

  /** `new Softmax(1)` as in PyTorch, or `new Softmax({ dim: 1 })`. */
  constructor(dim?: number | SoftmaxOptions) {
    super();
    const options = layerOptions<SoftmaxOptions>('Softmax', 'dim', dim, undefined, ['dim']);
    const { dim: axis = -1 } = options;
    if (!Number.isInteger(axis)) throw argumentError('Softmax: dim', 'an integer', axis);
    this.dim = axis;
  }

  forward(x: tf.Tensor): tf.Tensor {
    checkInput('Softmax', x);
    const dim = this.dim < 0 ? this.dim + x.rank : this.dim;
    if (dim < 0 || dim >= x.rank) {
      throw argumentError('Softmax: dim', `a dimension of the rank-${x.rank} input`, this.dim);
    }
    // tfjs's kernel only handles the last dimension; elsewhere the max-shifted closed form is used.
    if (dim === x.rank - 1) return tf.softmax(x);
    return tf.tidy(() => {
      const e = tf.exp(tf.sub(x, tf.max(x, dim, true)));
      return tf.div(e, tf.sum(e, dim, true));
    });
  }

  override toJSON(): ModuleConfig {
    return { type: 'Softmax', dim: this.dim };
  }
}

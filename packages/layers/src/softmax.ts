import { argumentError, tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { Module, type ModuleConfig } from './module';

export interface SoftmaxOptions {
  /** The dimension that sums to 1; negative counts from the end. */
  dim?: number;
}

/** exp(x) / sum(exp(x)) along `dim`. */
export class Softmax extends Module {
  readonly dim: number;

  constructor(options: SoftmaxOptions = {}) {
    super();
    const { dim = -1 } = options;
    if (!Number.isInteger(dim)) throw argumentError('Softmax: dim', 'an integer', dim);
    this.dim = dim;
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

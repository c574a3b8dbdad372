import { argumentError, tf } from '@descent/tensor';

/** Options of a Parameter: whether optimisers update it. */
export interface ParameterOptions {
  /** Whether optimisers update it (`tf.variableGrads` skips non-trainable variables). */
  trainable?: boolean;
}

/**
 * A learnable tensor of a Module: a tf.Variable, like PyTorch's nn.Parameter. The variable is
 * left unnamed because tfjs variable names are global and must be unique; tfjs numbers them.
 * The parameter takes over `initial` (its handle is disposed, its data lives on in the variable),
 * so `new Parameter(tf.ones([1]))` leaks nothing; do not use `initial` afterwards.
 */
export class Parameter {
  readonly variable: tf.Variable;

  constructor(initial: tf.Tensor, options: ParameterOptions = {}) {
    if (!(initial instanceof tf.Tensor)) throw argumentError('initial', 'a tensor', initial);
    if (initial.dtype !== 'float32') throw argumentError('initial', 'a float32 tensor', initial);
    if (initial instanceof tf.Variable)
      throw argumentError('initial', 'a tensor that is not a tf.Variable', initial);
    if (initial.isDisposed) throw argumentError('initial', 'a live tensor', 'a disposed tensor');
    const { trainable = true } = options;
    if (typeof trainable !== 'boolean') throw argumentError('trainable', 'a boolean', trainable);
    this.variable = tf.variable(initial, trainable);
    initial.dispose();
  }

  get value(): tf.Variable {
    return this.variable;
  }

  get shape(): number[] {
    return this.variable.shape.slice();
  }

  get size(): number {
    return this.variable.size;
  }

  get trainable(): boolean {
    return this.variable.trainable;
  }

  set trainable(trainable: boolean) {
    if (typeof trainable !== 'boolean') throw argumentError('trainable', 'a boolean', trainable);
    this.variable.trainable = trainable;
  }

  get isDisposed(): boolean {
    return this.variable.isDisposed;
  }

  /** Frees the parameter's memory; calling it again does nothing. */
  dispose(): void {
    if (!this.variable.isDisposed) this.variable.dispose();
  }
}

import { argumentError, checkOptions, DescentArgumentError, tf } from '@descent/tensor';

/** Options of a ModuleBuffer: whether it is saved in the state dict, and its name there. */
export interface ModuleBufferOptions {
  /** Whether `stateDict()` saves it and `loadStateDict()` expects it (default true), as in PyTorch. */
  persistent?: boolean;
  /**
   * Its name in `namedBuffers()` and the state dict when PyTorch's differs from the field's:
   * BatchNorm keeps `running_mean` in its `runningMean` field, so that its state dict holds the
   * keys of a torch `state_dict()`. Default: the field's name.
   */
  name?: string;
}

const shapeText = (shape: number[]) => `[${shape.join(', ')}]`;

/**
 * Non-trainable state of a Module, like a tensor given to PyTorch's `register_buffer`: BatchNorm's
 * running mean and variance. A Module field holding one is found like a Parameter field, and the
 * state dict carries it, but `parameters()` leaves it out, so no optimiser or freeze touches it.
 * (Not named `Buffer`, which would shadow Node's global.)
 *
 * It lives in a non-trainable tf.Variable so that `assign` works inside `tf.tidy` and inside
 * `tf.variableGrads` (a training forward updates running statistics there) without the caller
 * keeping anything. It takes over `initial`, like Parameter. float32 and int32 are allowed
 * (PyTorch's `num_batches_tracked` is an integer).
 */
export class ModuleBuffer {
  readonly variable: tf.Variable;
  readonly persistent: boolean;
  readonly name: string | undefined;

  constructor(initial: tf.Tensor, options: ModuleBufferOptions = {}) {
    if (!(initial instanceof tf.Tensor)) throw argumentError('initial', 'a tensor', initial);
    if (initial.dtype !== 'float32' && initial.dtype !== 'int32')
      throw argumentError('initial', 'a float32 or int32 tensor', initial);
    if (initial instanceof tf.Variable)
      throw argumentError('initial', 'a tensor that is not a tf.Variable', initial);
    if (initial.isDisposed) throw argumentError('initial', 'a live tensor', 'a disposed tensor');
    const { persistent = true, name } = checkOptions<ModuleBufferOptions>('ModuleBuffer', options, [
      'persistent',
      'name',
    ]);
    if (typeof persistent !== 'boolean') throw argumentError('persistent', 'a boolean', persistent);
    if (name !== undefined && (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)))
      throw argumentError('ModuleBuffer: name', 'an identifier such as "running_mean"', name);
    this.persistent = persistent;
    this.name = name;
    this.variable = tf.variable(initial, false);
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

  get dtype(): tf.DataType {
    return this.variable.dtype;
  }

  get isDisposed(): boolean {
    return this.variable.isDisposed;
  }

  /**
   * Replaces the value (same shape; float32 and int32 are cast to the buffer's dtype). The buffer
   * keeps its own reference, so `value` may be a temporary of an enclosing tidy.
   */
  assign(value: tf.Tensor): void {
    if (!(value instanceof tf.Tensor) || value.isDisposed)
      throw argumentError('ModuleBuffer.assign: value', 'a live tensor', value);
    if (!tf.util.arraysEqual(value.shape, this.variable.shape)) {
      throw new DescentArgumentError(
        `ModuleBuffer.assign: value: expected shape ${shapeText(this.variable.shape)}, found ${shapeText(value.shape)}`,
      );
    }
    if (value.dtype !== 'float32' && value.dtype !== 'int32')
      throw argumentError('ModuleBuffer.assign: value', 'a float32 or int32 tensor', value);
    if (value.dtype === this.variable.dtype) this.variable.assign(value);
    else tf.tidy(() => this.variable.assign(tf.cast(value, this.variable.dtype)));
  }

  /** Frees the buffer's memory; calling it again does nothing. */
  dispose(): void {
    if (!this.variable.isDisposed) this.variable.dispose();
  }
}

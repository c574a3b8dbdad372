import { argumentError, checkOptions, type RandomSource, tf, toGenerator } from '@descent/tensor';
import { type Initializer, normal } from './init';
import { Module, type ModuleConfig } from './module';
import { Parameter } from './parameter';

/** Options of Embedding: the initialiser and its seed. */
export interface EmbeddingOptions {
  /** Weight initialiser; PyTorch's default is N(0, 1). */
  init?: Initializer;
  /** A seed or Generator for the initial weights; without one the global generator (manualSeed) is used. */
  seed?: RandomSource;
}

/**
 * A lookup table of learnt vectors, like PyTorch's nn.Embedding: int32 indices of any shape
 * [...] → [..., embeddingDim], row i of weight [numEmbeddings, embeddingDim] for index i.
 * Computed as fast.ai explains it: the index as a one-hot vector times the weight matrix, which
 * picks row i exactly and gives the weight its gradient (only the rows looked up get any).
 */
export class Embedding extends Module {
  readonly weight: Parameter;
  private readonly label: string;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingOptions = {},
  ) {
    super();
    this.label = `Embedding(${numEmbeddings}, ${embeddingDim})`;
    if (!Number.isInteger(numEmbeddings) || numEmbeddings <= 0)
      throw argumentError(`${this.label}: numEmbeddings`, 'a positive integer', numEmbeddings);
    if (!Number.isInteger(embeddingDim) || embeddingDim <= 0)
      throw argumentError(`${this.label}: embeddingDim`, 'a positive integer', embeddingDim);
    const { init = normal(0, 1), seed } = checkOptions<EmbeddingOptions>('Embedding', options, [
      'init',
      'seed',
    ]);
    const value = init([numEmbeddings, embeddingDim], toGenerator(seed));
    if (!(value instanceof tf.Tensor) || !tf.util.arraysEqual(value.shape, [numEmbeddings, embeddingDim]))
      throw argumentError(
        `${this.label}: init`,
        `a new tensor of shape [${numEmbeddings}, ${embeddingDim}]`,
        value,
      );
    this.weight = new Parameter(value.dtype === 'float32' ? value : tf.tidy(() => tf.cast(value, 'float32')));
    if (value.dtype !== 'float32') value.dispose();
  }

  forward(indices: tf.Tensor): tf.Tensor {
    const where = `${this.label}: input`;
    if (!(indices instanceof tf.Tensor)) throw argumentError(where, 'an int32 tensor of indices', indices);
    if (indices.dtype !== 'int32') throw argumentError(where, 'an int32 tensor of indices', indices);
    if (indices.size > 0) {
      // Out-of-range indices would give a silent zero row; PyTorch refuses them, and so do we.
      const [low, high] = tf
        .tidy(() => [tf.min(indices), tf.max(indices)])
        .map((t) => {
          const v = t.dataSync()[0];
          t.dispose();
          return v;
        });
      if (low < 0 || high >= this.numEmbeddings)
        throw argumentError(where, `indices in [0, ${this.numEmbeddings - 1}]`, low < 0 ? low : high);
    }
    return tf.tidy(() => {
      // int32 then cast: tfjs-backend-wasm 4.22's OneHot writes integer bits into a float32 result.
      const oneHot = tf.cast(tf.oneHot(tf.reshape(indices, [-1]), this.numEmbeddings), 'float32');
      const rows = tf.matMul(oneHot, this.weight.value);
      return tf.reshape(rows, [...indices.shape, this.embeddingDim]);
    });
  }

  override toJSON(): ModuleConfig {
    return { type: 'Embedding', numEmbeddings: this.numEmbeddings, embeddingDim: this.embeddingDim };
  }
}

import { argumentError, checkOptions, DescentArgumentError, tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { Module, type ModuleConfig } from './module';
import { Parameter } from './parameter';

/** Options of LayerNorm: eps and whether it has a learnable scale and shift. */
export interface LayerNormOptions {
  eps?: number;
  /** Learnable scale (weight, ones) and shift (bias, zeros) of shape normalizedShape. */
  elementwiseAffine?: boolean;
}

/**
 * Normalises each sample over its last dimensions (normalizedShape), like PyTorch's nn.LayerNorm:
 * y = (x - mean) / √(var + eps) · weight + bias, with the biased variance. Unlike BatchNorm it
 * looks at one sample at a time, so training and eval compute the same thing.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  private readonly label: string;

  constructor(normalizedShape: number | number[], options: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
    this.label = `LayerNorm(${JSON.stringify(normalizedShape)})`;
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw argumentError(
        `${this.label}: normalizedShape`,
        'a positive integer or a non-empty array of them',
        normalizedShape,
      );
    }
    const given = checkOptions<LayerNormOptions>('LayerNorm', options, ['eps', 'elementwiseAffine']);
    const { eps = 1e-5, elementwiseAffine = true } = given;
    if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps))
      throw argumentError(`${this.label}: eps`, 'a positive number', eps);
    if (typeof elementwiseAffine !== 'boolean')
      throw argumentError(`${this.label}: elementwiseAffine`, 'a boolean', elementwiseAffine);
    this.normalizedShape = [...shape];
    this.eps = eps;
    this.weight = elementwiseAffine ? new Parameter(tf.ones(shape)) : null;
    this.bias = elementwiseAffine ? new Parameter(tf.zeros(shape)) : null;
  }

  get elementwiseAffine(): boolean {
    return this.weight !== null;
  }

  forward(x: tf.Tensor): tf.Tensor {
    checkInput(this.label, x);
    const k = this.normalizedShape.length;
    if (x.rank < k || !tf.util.arraysEqual(x.shape.slice(-k), this.normalizedShape)) {
      throw new DescentArgumentError(
        `${this.label}: input: expected shape [..., ${this.normalizedShape.join(', ')}], found [${x.shape.join(', ')}]`,
      );
    }
    const axes = this.normalizedShape.map((_, i) => x.rank - k + i);
    return tf.tidy(() => {
      const mean = tf.mean(x, axes, true);
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), axes, true);
      const normalised = tf.div(centred, tf.sqrt(tf.add(variance, this.eps)));
      if (!this.weight || !this.bias) return normalised;
      return tf.add(tf.mul(normalised, this.weight.value), this.bias.value);
    });
  }

  override toJSON(): ModuleConfig {
    return {
      type: 'LayerNorm',
      normalizedShape: [...this.normalizedShape],
      eps: this.eps,
      elementwiseAffine: this.elementwiseAffine,
    };
  }
}

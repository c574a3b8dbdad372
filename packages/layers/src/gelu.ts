import { argumentError, tf } from '@descent/tensor';
import { checkInput } from './check-input';
import { layerOptions } from './layer-options';
import { Module, type ModuleConfig } from './module';

/** Options of GELU: exact or tanh-approximated. */
export interface GELUOptions {
  /** 'none' (default): PyTorch's exact form with erf; 'tanh': the tanh approximation (GPT-2's). */
  approximate?: 'none' | 'tanh';
}

/**
 * The Gaussian error linear unit, like PyTorch's nn.GELU: x · Φ(x), x weighted by the chance that
 * a standard normal lies below it, i.e. 0.5 · x · (1 + erf(x / √2)). With `approximate: 'tanh'`,
 * 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))).
 */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  /** `new GELU()`, `new GELU('tanh')` or `new GELU({ approximate: 'tanh' })`. */
  constructor(approximate?: 'none' | 'tanh' | GELUOptions) {
    super();
    const options = layerOptions<GELUOptions>('GELU', 'approximate', approximate, undefined, ['approximate']);
    const { approximate: form = 'none' } = options;
    if (form !== 'none' && form !== 'tanh')
      throw argumentError('GELU: approximate', "'none' or 'tanh'", form);
    this.approximate = form;
  }

  forward(x: tf.Tensor): tf.Tensor {
    checkInput('GELU', x);
    return tf.tidy(() => {
      const inner =
        this.approximate === 'tanh'
          ? tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))
          : tf.erf(tf.mul(x, Math.SQRT1_2));
      return tf.mul(tf.mul(x, 0.5), tf.add(inner, 1));
    });
  }

  override toJSON(): ModuleConfig {
    return { type: 'GELU', approximate: this.approximate };
  }
}

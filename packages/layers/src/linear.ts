import {
  argumentError,
  checkOptions,
  DescentArgumentError,
  type RandomSource,
  tf,
  toGenerator,
} from '@descent/tensor';
import { type Initializer, kaimingUniform, uniform } from './init';
import { Module, type ModuleConfig } from './module';
import { Parameter } from './parameter';

/** Options of Linear: whether it has a bias, and the initialisers. */
export interface LinearOptions {
  bias?: boolean;
  /** Weight initialiser; PyTorch's default is kaiming uniform with a = √5, i.e. U(-1/√in, 1/√in). */
  init?: Initializer;
  /** Bias initialiser; PyTorch's default is U(-1/√in, 1/√in). */
  biasInit?: Initializer;
  /** A seed or Generator for the initial weights; without one the global generator (manualSeed) is used. */
  seed?: RandomSource;
}

function checkFeatures(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0)
    throw argumentError(`Linear: ${name}`, 'a positive integer', value);
}

/** y = x Wᵀ + b, with W stored as [outFeatures, inFeatures] exactly like PyTorch's nn.Linear. */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    checkFeatures('inFeatures', inFeatures);
    checkFeatures('outFeatures', outFeatures);
    checkOptions('Linear', options, ['bias', 'init', 'biasInit', 'seed']);
    const { bias = true, seed } = options;
    if (typeof bias !== 'boolean') throw argumentError('Linear: bias', 'a boolean', bias);
    const bound = 1 / Math.sqrt(inFeatures);
    const init = options.init ?? ((shape, source) => kaimingUniform(shape, source, { a: Math.sqrt(5) }));
    const biasInit = options.biasInit ?? uniform(-bound, bound);
    const generator = toGenerator(seed);
    this.weight = makeParameter('weight', init, [outFeatures, inFeatures], generator);
    this.bias = bias ? makeParameter('bias', biasInit, [outFeatures], generator) : null;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const where = `Linear(${this.inFeatures}, ${this.outFeatures}): input`;
    if (!(x instanceof tf.Tensor)) throw argumentError(where, 'a tensor', x);
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new DescentArgumentError(
        `${where}: expected shape [N, ${this.inFeatures}], found [${x.shape.join(', ')}]`,
      );
    }
    if (x.dtype !== 'float32') throw argumentError(where, 'a float32 tensor', x);
    // Not tf.fused.matMul: tfjs-backend-wasm 4.22 broadcasts a [out] bias wrongly over a batch.
    const bias = this.bias;
    return tf.tidy(() => {
      const y = tf.matMul(x, this.weight.value, false, true);
      return bias ? tf.add(y, bias.value) : y;
    });
  }

  override toJSON(): ModuleConfig {
    return {
      type: 'Linear',
      inFeatures: this.inFeatures,
      outFeatures: this.outFeatures,
      bias: this.bias !== null,
    };
  }
}

function makeParameter(name: string, init: Initializer, shape: number[], source: RandomSource): Parameter {
  const value = init(shape, source);
  if (
    !(value instanceof tf.Tensor) ||
    value instanceof tf.Variable ||
    !tf.util.arraysEqual(value.shape, shape)
  ) {
    const error = argumentError(
      `Linear: ${name} initialiser`,
      `a new tensor of shape [${shape.join(', ')}]`,
      value,
    );
    if (value instanceof tf.Tensor && !(value instanceof tf.Variable)) value.dispose();
    throw error;
  }
  if (value.dtype === 'float32') return new Parameter(value);
  const float = tf.cast(value, 'float32');
  value.dispose();
  return new Parameter(float);
}

import { argumentError, DescentArgumentError, describe } from '@descent/tensor';
import { BatchNorm1d, type BatchNorm1dOptions } from './batch-norm1d';
import { Dropout, type DropoutOptions } from './dropout';
import { Embedding } from './embedding';
import { GELU, type GELUOptions } from './gelu';
import { Identity } from './identity';
import { LayerNorm, type LayerNormOptions } from './layer-norm';
import { configOptions } from './layer-options';
import { LeakyReLU, type LeakyReLUOptions } from './leaky-relu';
import { Linear } from './linear';
import { Module, type ModuleConfig } from './module';
import { ReLU } from './relu';
import { Sequential } from './sequential';
import { Sigmoid } from './sigmoid';
import { SiLU } from './silu';
import { Softmax, type SoftmaxOptions } from './softmax';
import { Softplus, type SoftplusOptions } from './softplus';
import { Tanh } from './tanh';

/** Builds a module (with fresh weights) from its `toJSON()` config. */
export type ModuleFactory = (config: ModuleConfig) => Module;

/** The factory of a layer that takes no options: its config may hold only `type`. */
const withoutOptions =
  (make: () => Module): ModuleFactory =>
  (c) => {
    configOptions(c, []);
    return make();
  };

// Each factory names the keys its type's toJSON() records, so an unknown key is refused by name;
// the constructors validate the values.
const factories = new Map<string, ModuleFactory>([
  [
    'Linear',
    (c) => {
      const {
        inFeatures,
        outFeatures,
        bias = true,
      } = configOptions(c, ['inFeatures', 'outFeatures', 'bias']);
      return new Linear(inFeatures as number, outFeatures as number, { bias: bias as boolean });
    },
  ],
  ['ReLU', withoutOptions(() => new ReLU())],
  ['Sigmoid', withoutOptions(() => new Sigmoid())],
  ['Tanh', withoutOptions(() => new Tanh())],
  ['Identity', withoutOptions(() => new Identity())],
  ['SiLU', withoutOptions(() => new SiLU())],
  ['GELU', (c) => new GELU(configOptions(c, ['approximate']) as GELUOptions)],
  ['Softplus', (c) => new Softplus(configOptions(c, ['beta', 'threshold']) as SoftplusOptions)],
  ['LeakyReLU', (c) => new LeakyReLU(configOptions(c, ['negativeSlope']) as LeakyReLUOptions)],
  ['Softmax', (c) => new Softmax(configOptions(c, ['dim']) as SoftmaxOptions)],
  ['Dropout', (c) => new Dropout(configOptions(c, ['p', 'seed']) as DropoutOptions)],
  [
    'LayerNorm',
    (c) => {
      const { normalizedShape, ...options } = configOptions(c, [
        'normalizedShape',
        'eps',
        'elementwiseAffine',
      ]);
      return new LayerNorm(normalizedShape as number[], options as LayerNormOptions);
    },
  ],
  [
    'BatchNorm1d',
    (c) => {
      const known = ['numFeatures', 'eps', 'momentum', 'affine', 'trackRunningStats'];
      const { numFeatures, ...options } = configOptions(c, known);
      return new BatchNorm1d(numFeatures as number, options as BatchNorm1dOptions);
    },
  ],
  [
    'Embedding',
    (c) => {
      const { numEmbeddings, embeddingDim } = configOptions(c, ['numEmbeddings', 'embeddingDim']);
      return new Embedding(numEmbeddings as number, embeddingDim as number);
    },
  ],
  [
    'Sequential',
    (c) => {
      const { layers } = configOptions(c, ['layers']);
      if (!Array.isArray(layers)) throw argumentError('Sequential config: layers', 'an array', layers);
      // A child that fails to build must not strand the weights of the children built before it.
      const built: Module[] = [];
      try {
        for (const layer of layers as ModuleConfig[]) built.push(fromConfig(layer));
      } catch (err) {
        for (const module of built) module.dispose();
        throw err;
      }
      return new Sequential(built);
    },
  ],
]);
/** Teaches `fromConfig` a new type (e.g. @descent/cnn's Conv2d); registering a type again replaces it. */
export function registerModule(type: string, factory: ModuleFactory): void {
  if (typeof type !== 'string' || type === '')
    throw argumentError('registerModule: type', 'a non-empty string', type);
  if (typeof factory !== 'function') throw argumentError('registerModule: factory', 'a function', factory);
  factories.set(type, factory);
}

/** The types `fromConfig` knows, built-in and registered. */
export function registeredModules(): string[] {
  return [...factories.keys()].sort();
}

/** Rebuilds a model from `toJSON()` output; the weights are fresh, load a state dict into them. */
export function fromConfig(config: ModuleConfig): Module {
  if (
    config === null ||
    typeof config !== 'object' ||
    Array.isArray(config) ||
    typeof config.type !== 'string'
  ) {
    throw argumentError(
      'fromConfig: config',
      "an object with a string 'type'",
      JSON.stringify(config) ?? config,
    );
  }
  const factory = factories.get(config.type);
  if (!factory) {
    throw new DescentArgumentError(
      `fromConfig: config.type: expected a registered module type (${registeredModules().join(', ')}), found ${describe(config.type)}`,
    );
  }
  const module = factory(config);
  if (!(module instanceof Module)) {
    throw argumentError(`fromConfig: the factory for ${describe(config.type)}`, 'to return a Module', module);
  }
  return module;
}

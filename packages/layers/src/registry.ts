import { argumentError, DescentArgumentError, describe } from '@descent/tensor';
import { Dropout } from './dropout';
import { Identity } from './identity';
import { LeakyReLU } from './leaky-relu';
import { Linear } from './linear';
import { Module, type ModuleConfig } from './module';
import { ReLU } from './relu';
import { Sequential } from './sequential';
import { Sigmoid } from './sigmoid';
import { Softmax } from './softmax';
import { Softplus } from './softplus';
import { Tanh } from './tanh';

/** Builds a module (with fresh weights) from its `toJSON()` config. */
export type ModuleFactory = (config: ModuleConfig) => Module;

// The constructors validate the options; a factory only picks them out of the config.
const factories = new Map<string, ModuleFactory>([
  [
    'Linear',
    (c) =>
      new Linear(c['inFeatures'] as number, c['outFeatures'] as number, {
        bias: (c['bias'] ?? true) as boolean,
      }),
  ],
  ['ReLU', () => new ReLU()],
  ['Sigmoid', () => new Sigmoid()],
  ['Tanh', () => new Tanh()],
  ['Identity', () => new Identity()],
  ['Softplus', (c) => new Softplus({ beta: c['beta'] as number, threshold: c['threshold'] as number })],
  ['LeakyReLU', (c) => new LeakyReLU({ negativeSlope: c['negativeSlope'] as number })],
  ['Softmax', (c) => new Softmax({ dim: c['dim'] as number })],
  ['Dropout', (c) => new Dropout({ p: c['p'] as number, seed: c['seed'] as number | undefined })],
  [
    'Sequential',
    (c) => {
      if (!Array.isArray(c['layers']))
        throw argumentError('Sequential config: layers', 'an array', c['layers']);
      // A child that fails to build must not strand the weights of the children built before it.
      const built: Module[] = [];
      try {
        for (const layer of c['layers'] as ModuleConfig[]) built.push(fromConfig(layer));
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

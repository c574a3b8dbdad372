import { Adam, AdamW, type Optimizer, type OptimParam, RMSprop, SGD } from '@descent/optim';
import { argumentError } from '@descent/tensor';

/**
 * The optimizers a user can pick by name, in the CLI and the web app alike. Each name means one
 * thing everywhere: `sgd` is plain SGD (PyTorch's `torch.optim.SGD` defaults, no momentum),
 * `momentum` is SGD with momentum 0.9, `nesterov` adds Nesterov's look-ahead to it; the adaptive
 * ones take PyTorch's defaults apart from the rate.
 */
export const optimizerNames = ['sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'rmsprop'] as const;
/** The name of an optimizer `createOptimizer` can make. */
export type OptimizerName = (typeof optimizerNames)[number];

/** The settings every named optimizer takes: the learning rate and weight decay. */
export interface OptimizerSettings {
  /** The learning rate. */
  lr: number;
  /** L2 penalty (decoupled for adamw). Default: each optimizer's PyTorch default. */
  weightDecay?: number;
}

/** Names whose steps adapt to each parameter's gradient history (Adam and its kin). */
export const adaptiveOptimizers: readonly OptimizerName[] = ['adam', 'adamw', 'rmsprop'];

const settingKeys = new Set(['lr', 'weightDecay']);

/** The optimizer called `name`, over `params`, at rate `settings.lr`. */
export function createOptimizer(
  name: OptimizerName,
  params: OptimParam[],
  settings: OptimizerSettings,
): Optimizer {
  if (!optimizerNames.includes(name)) {
    throw argumentError('name', `one of ${optimizerNames.join(', ')}`, name);
  }
  if (typeof settings !== 'object' || settings === null) {
    throw argumentError('settings', 'an object like { lr: 0.1 }', settings);
  }
  for (const key of Object.keys(settings)) {
    if (!settingKeys.has(key)) throw argumentError('settings', `only ${[...settingKeys].join(', ')}`, key);
  }
  const { lr } = settings;
  if (typeof lr !== 'number' || !(lr > 0) || !Number.isFinite(lr)) {
    throw argumentError('settings.lr', 'a positive number', lr);
  }
  // Only a given weight decay is passed on, so each class keeps its own default (AdamW's is 0.01).
  const decay = settings.weightDecay === undefined ? {} : { weightDecay: settings.weightDecay };
  switch (name) {
    case 'sgd':
      return new SGD(params, { lr, ...decay });
    case 'momentum':
      return new SGD(params, { lr, momentum: 0.9, ...decay });
    case 'nesterov':
      return new SGD(params, { lr, momentum: 0.9, nesterov: true, ...decay });
    case 'adam':
      return new Adam(params, { lr, ...decay });
    case 'adamw':
      return new AdamW(params, { lr, ...decay });
    case 'rmsprop':
      return new RMSprop(params, { lr, ...decay });
  }
}

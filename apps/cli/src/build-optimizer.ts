import { Adam, AdamW, type Optimizer, type OptimParam, RMSprop, SGD } from '@descent/optim';

export const optimizerNames = ['sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'rmsprop'] as const;
export type OptimizerName = (typeof optimizerNames)[number];

/** The CLI's optimizer names: 'momentum' is SGD with momentum 0.9, as the course uses it. */
export function buildOptimizer(name: OptimizerName, params: OptimParam[], lr: number): Optimizer {
  switch (name) {
    case 'sgd':
      return new SGD(params, { lr });
    case 'momentum':
      return new SGD(params, { lr, momentum: 0.9 });
    case 'nesterov':
      return new SGD(params, { lr, momentum: 0.9, nesterov: true });
    case 'adam':
      return new Adam(params, { lr });
    case 'adamw':
      return new AdamW(params, { lr });
    case 'rmsprop':
      return new RMSprop(params, { lr });
  }
}

import {
  Adam,
  CosineAnnealingLR,
  type LRScheduler,
  OneCycleLR,
  type Optimizer,
  type OptimParam,
  SGD,
  StepLR,
} from '@descent/optim';
import { palette } from '../ui/charts';

export type ScheduleName = 'cosine' | 'step' | 'onecycle';

export const scheduleLabels: Record<ScheduleName, string> = {
  cosine: 'cosine',
  step: 'step ×0.1',
  onecycle: 'one-cycle',
};

/** Every schedule is stepped once per mini-batch, over the whole run's steps. */
export function makeSchedule(name: ScheduleName, optimizer: Optimizer, totalSteps: number): LRScheduler {
  if (name === 'step') {
    // Two drops, at a third and at two thirds of the run.
    return new StepLR(optimizer, { stepSize: Math.max(1, Math.ceil(totalSteps / 3)), gamma: 0.1 });
  }
  if (name === 'onecycle') {
    // Plain SGD has no momentum to cycle: only the rate changes, as in the other two.
    return new OneCycleLR(optimizer, { maxLr: optimizer.lr, totalSteps, cycleMomentum: false });
  }
  return new CosineAnnealingLR(optimizer, { tMax: totalSteps });
}

export type RecipeKey = 'constant' | 'scheduled' | 'adam';

/** One of the three ways the panel trains the same network. */
export interface Recipe {
  key: RecipeKey;
  color: string;
  dash: string;
  label(schedule: ScheduleName): string;
  optimizer(params: OptimParam[], rates: { sgd: number; adam: number }): Optimizer;
  /** Only the scheduled run has one. */
  schedule?(name: ScheduleName, optimizer: Optimizer, totalSteps: number): LRScheduler;
}

export const recipes: Recipe[] = [
  {
    key: 'constant',
    color: palette.vermillion,
    dash: '',
    label: () => 'SGD, constant rate',
    optimizer: (params, rates) => new SGD(params, { lr: rates.sgd }),
  },
  {
    key: 'scheduled',
    color: palette.blue,
    dash: '6,3',
    label: (s) => `SGD, ${scheduleLabels[s]} schedule`,
    optimizer: (params, rates) => new SGD(params, { lr: rates.sgd }),
    schedule: makeSchedule,
  },
  {
    key: 'adam',
    color: palette.green,
    dash: '2,2',
    label: () => 'Adam, constant rate',
    optimizer: (params, rates) => new Adam(params, { lr: rates.adam }),
  },
];

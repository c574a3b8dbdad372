import { penguins } from '@descent/datasets';
import { mlp, type Sequential } from '@descent/layers';
import {
  CosineAnnealingLR,
  type LRScheduler,
  OneCycleLR,
  type Optimizer,
  type OptimParam,
  StepLR,
} from '@descent/optim';
import { type Callback, createOptimizer, taskHead } from '@descent/train';
import { prepareTabular, type TabularTask } from '../lib/tabular-task';
import { palette } from '../ui/charts';

export type ScheduleName = 'cosine' | 'step' | 'onecycle';

/**
 * The panel's starting settings, chosen so the lesson shows in one run of a few seconds on WASM:
 * batches of 8 make the gradient noisy, and a rate of 1 is large enough that constant-rate SGD
 * keeps bouncing while the schedule settles (the unit test checks that it does).
 */
export const minibatchDefaults = {
  schedule: 'cosine' as ScheduleName,
  batchSize: 8,
  sgdLr: 1,
  adamLr: 0.01,
  epochs: 30,
  hidden: [16],
};

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
    optimizer: (params, rates) => createOptimizer('sgd', params, { lr: rates.sgd }),
  },
  {
    key: 'scheduled',
    color: palette.blue,
    dash: '6,3',
    label: (s) => `SGD, ${scheduleLabels[s]} schedule`,
    optimizer: (params, rates) => createOptimizer('sgd', params, { lr: rates.sgd }),
    schedule: makeSchedule,
  },
  {
    key: 'adam',
    color: palette.green,
    dash: '2,2',
    label: () => 'Adam, constant rate',
    optimizer: (params, rates) => createOptimizer('adam', params, { lr: rates.adam }),
  },
];

const features = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];

/** Penguins' sex from four standardized measurements, split and scaled by the seed. */
export function minibatchTask(seed: number): TabularTask {
  return prepareTabular({ table: penguins(), target: 'sex', features }, { seed, scale: 'standard' });
}

/** Two classes (female, male): one logit, trained with bceWithLogits. */
export const minibatchHead = taskHead({ task: 'binary', classes: 2 });

/** The network every recipe trains: the same seed gives each the same first weights. */
export function minibatchModel(task: TabularTask, seed: number): Sequential {
  return mlp({
    inputs: task.featureNames.length,
    hidden: minibatchDefaults.hidden,
    outputs: minibatchHead.outputs,
    activation: 'relu',
    sigmoidOutput: minibatchHead.sigmoidOutput,
    seed,
  });
}

/**
 * Records the rate each mini-batch step uses and moves the schedule (if any) on after it: the
 * Learner steps the optimizer between onBatchBegin and onBatchEnd.
 */
export function rateCallback(
  optimizer: Optimizer,
  schedule: LRScheduler | undefined,
  rates: number[],
): Callback {
  return {
    onBatchBegin: () => {
      rates.push(optimizer.lr);
    },
    onBatchEnd: () => {
      schedule?.step();
    },
  };
}

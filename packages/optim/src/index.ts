export { Adam, type AdamOptions } from './adam';
export { AdamW } from './adamw';
export { type ClipGradNormResult, clipGradNorm, clipGradNormAsync, clipGradValue } from './clip-grad';
export { type Hyperparameters, Optimizer, type OptimizerStateDict, type ParamState } from './optimizer';
export type { OptimParam } from './param';
export type { ParamGroup, ParamGroupSpec, Params } from './param-group';
export { RMSprop, type RMSpropOptions } from './rmsprop';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './schedules/cosine-annealing-lr';
export { ExponentialLR, type ExponentialLROptions } from './schedules/exponential-lr';
export { LinearLR, type LinearLROptions } from './schedules/linear-lr';
export { LRScheduler, type SchedulerStateDict } from './schedules/lr-scheduler';
export { MultiStepLR, type MultiStepLROptions } from './schedules/multi-step-lr';
export { type AnnealStrategy, OneCycleLR, type OneCycleLROptions } from './schedules/one-cycle-lr';
export {
  type PlateauStateDict,
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
} from './schedules/reduce-lr-on-plateau';
export { SequentialLR, type SequentialLROptions } from './schedules/sequential-lr';
export { StepLR, type StepLROptions } from './schedules/step-lr';
export { SGD, type SGDOptions } from './sgd';
export { type OptimizerStateJSON, stateDictFromJSON, stateDictToJSON, type TensorJSON } from './state-json';

// One matrix type for the project, @descent/datasets'; re-exported because the Learner's API speaks it.
export type { Matrix, MatrixLike } from '@descent/datasets';
export {
  BundleError,
  type BundleInfo,
  type BundleManifest,
  type DeserializeBundleOptions,
  deserializeBundle,
  serializeBundle,
} from './bundle';
export { type BundleLimits, DEFAULT_BUNDLE_LIMITS } from './bundle-limits';
export type { BatchLogs, Callback, EpochLogs, TrainingControl } from './callbacks';
export {
  confusionMatrix,
  f1,
  logLoss,
  precision,
  probabilities,
  recall,
  rocAuc,
  rocCurve,
} from './classification-metrics';
export type { TrainingData } from './data';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping';
export { type FineTuneOptions, fineTune } from './fine-tune';
export { type FitOptions, type FitResult, Learner, type LearnerOptions, type Progress } from './learner';
export { type LrFindOptions, type LrFindResult, lrFind, steepestRate } from './lr-find';
export {
  accuracy,
  type MetricFn,
  type MetricName,
  meanAbsoluteError,
  meanSquaredError,
  metrics,
} from './metrics';
export {
  adaptiveOptimizers,
  createOptimizer,
  type OptimizerName,
  type OptimizerSettings,
  optimizerNames,
} from './optimizer-registry';
export { type OutputKind, predictedClass } from './output';
export {
  type PreparedRows,
  type ScaleName,
  scaleNames,
  TabularPreprocessor,
  type TabularPreprocessorJSON,
} from './tabular-preprocessor';
export {
  defaultLoss,
  type HeadLoss,
  headLosses,
  lossMismatch,
  type TaskHead,
  type TaskHeadOptions,
  type TaskKind,
  targetsInUnitInterval,
  taskHead,
  taskKinds,
} from './task-head';
export { type KeptWeights, TrainingDivergedError } from './training-diverged-error';

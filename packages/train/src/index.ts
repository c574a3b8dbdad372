export {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  BundleError,
  type BundleInfo,
  type BundleManifest,
  deserializeBundle,
  parseManifest,
  serializeBundle,
} from './bundle';
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
export { type HostData, type HostMatrix, type Matrix, type TrainingData, toHostData, toMatrix } from './data';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping';
export { type FineTuneOptions, fineTune } from './fine-tune';
export { type FitOptions, type FitResult, Learner, type LearnerOptions, type Progress } from './learner';
export {
  accuracy,
  getMetric,
  type MetricFn,
  type MetricName,
  meanAbsoluteError,
  meanSquaredError,
  metrics,
} from './metrics';
export { type OutputKind, predictedClass, targetClass } from './output';
export {
  type PreparedRows,
  type ScaleName,
  scaleNames,
  TabularPreprocessor,
  type TabularPreprocessorJSON,
} from './tabular-preprocessor';
export { TrainingDivergedError } from './training-diverged-error';

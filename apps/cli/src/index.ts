export { type ActivationName, activations, buildMlp } from './build-model';
export { buildOptimizer, type OptimizerName, optimizerNames } from './build-optimizer';
export { runEvaluate } from './commands/evaluate';
export { type GdOptions, type GdResult, runGd } from './commands/gd';
export { runInfo } from './commands/info';
export { parseInputRows, runPredict } from './commands/predict';
export { runTrain, type TrainOptions } from './commands/train';
export { runTrainTabular, type TabularTrainOptions } from './commands/train-tabular';
export { main } from './main';

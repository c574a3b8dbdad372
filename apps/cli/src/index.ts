export { type ActivationName, activations, buildMlp } from './build-model';
export { buildOptimizer, type OptimizerName, optimizerNames } from './build-optimizer';
export { type GdOptions, type GdResult, runGd } from './commands/gd';
export { runInfo } from './commands/info';
export { parseInputRows, runPredict } from './commands/predict';
export { runTrain, type TrainOptions } from './commands/train';
export { main } from './main';

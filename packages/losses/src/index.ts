export { type BceOptions, bce } from './bce';
export { type BceWithLogitsOptions, bceWithLogits } from './bce-with-logits';
export { compileLoss } from './compile-loss';
export { type CrossEntropyOptions, crossEntropy } from './cross-entropy';
export { type HuberOptions, huber } from './huber';
export { mae } from './mae';
export { mse, type ReductionOptions } from './mse';
export { type Reduction, reductions } from './reduction';
export { getLoss, isLossName, type LossFn, type LossName, losses, lossNameOf, lossNames } from './registry';

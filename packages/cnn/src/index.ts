import { registerCnnLowerings } from './lowerings';
import { registerCnnModules } from './register';

// So that fromConfig (and model bundles) know Conv2d & co. as soon as the package is imported,
// and compile(model) runs their chains channels-last.
registerCnnModules();
registerCnnLowerings();

export { AvgPool2d, type AvgPool2dOptions } from './avg-pool2d';
export { BatchNorm2d, type BatchNorm2dOptions } from './batch-norm2d';
export { Conv2d, type Conv2dOptions } from './conv2d';
export {
  disposeFeatureMaps,
  type FeatureMap,
  featureMapImages,
  featureMapImagesAsync,
  featureMaps,
} from './feature-maps';
export { type FiltersOptions, filters, filtersAsync } from './filters';
export { Flatten, type FlattenOptions } from './flatten';
export { GlobalAvgPool2d } from './global-avg-pool2d';
export { registerCnnLowerings } from './lowerings';
export { MaxPool2d } from './max-pool2d';
export type { Padding2, Size2 } from './options';
export { type ParameterSharingRow, parameterSharing } from './parameter-sharing';
export type { Pool2dOptions } from './pool-options';
export {
  DIGIT_BACKBONE_FILES,
  type DigitBackboneInfo,
  type DigitBackboneSource,
  loadDigitBackbone,
  pretrainedDigitBackbone,
} from './pretrained';
export { registerCnnModules } from './register';
export { type SimpleCnnOptions, simpleCnn } from './simple-cnn';
export { type Convolve2dOptions, convolve2d, maxPool2d } from './teaching';
export { attachHead, cutHead, type ReplaceHeadOptions, replaceHead } from './transfer';

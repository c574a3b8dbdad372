export { randomShift, shiftImage } from './augment';
export { runEvaluate } from './commands/evaluate';
export { type ExplainOptions, type ExplainSummary, runExplain } from './commands/explain';
export {
  type FinetuneOptions,
  type FinetuneResult,
  parseDigitTask,
  runFinetune,
  SHIPPED_BACKBONE,
} from './commands/finetune';
export { type GdOptions, type GdResult, runGd } from './commands/gd';
export { runInfo } from './commands/info';
export { parseInputRows, runPredict } from './commands/predict';
export { type ImagePrediction, runPredictImage } from './commands/predict-image';
export {
  type DigitInput,
  decodeGreyImage,
  type GreyImage,
  ImageInputError,
  type ReadImageOptions,
  readDigitImage,
  resizeArea,
  toDigit,
} from './image-input';
export { buildImageModel, type ImageModelKind, imageModels } from './image-model';
export { main } from './main';
export {
  type ImageDatasetName,
  type ImageTrainOptions,
  type ImageTrainResult,
  imageDatasets,
  imageTrainDefaults,
  imageTrainOptions,
  officialSetDefaults,
  runTrainImages,
} from './recipes/image';
export { runTrainTabular, type TabularTrainOptions } from './recipes/tabular';
export { runTrain, type TrainOptions } from './recipes/toy';

// Image data sets (@descent/datasets/images), kept out of the main entry so toy-set users do not
// load the digits. Everything here is plain typed arrays, images in NCHW order.
export { type BarsOptions, bars } from './images/bars';
export {
  checkImageDataset,
  type FloatImageDataset,
  gatherImages,
  type ImageDataset,
  type ImageSplit,
  type LabelArray,
  type NCHW,
  type PixelArray,
  toNCHW,
} from './images/image-dataset';
export { type LoadMnistOptions, loadMnist, type MnistSource } from './images/load-mnist';
export {
  DIGIT_CLASSES,
  decodeMnist,
  encodeMnist,
  type MnistData,
  MnistFormatError,
} from './images/mnist-format';
export {
  type MnistBinaryOptions,
  type MnistDigitsOptions,
  type MnistSubsetOptions,
  mnistBinary,
  mnistDigits,
  mnistSubset,
} from './images/mnist-tasks';
export { borderMean, invertPlanes, type Planes } from './images/planes';
export { RESIZE_METHODS, type ResizeMethod, resizePlanes } from './images/resize';

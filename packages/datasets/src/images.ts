// Image data sets (@descent/datasets/images), kept out of the main entry so toy-set users do not
// load the digits. Everything here is plain typed arrays, images in NCHW order, and browser-safe:
// the loaders fetch URLs and take bytes; reading files is @descent/datasets/node's (same names).
export { type BarsOptions, bars } from './images/bars';
export {
  fashionMnist,
  loadIdxFolder,
  loadMnist,
  mnistBinary,
  mnistDigits,
  mnistOfficial,
  mnistSubset,
  readIdx,
} from './images/fetch-loaders';
export {
  type ByteImageDataset,
  DEFAULT_MAX_IDX_BYTES,
  IDX_SPLIT_FILES,
  idxImageDataset,
  type ReadIdxOptions,
} from './images/idx-dataset';
export {
  decodeIdx,
  encodeIdx,
  type IdxArray,
  IdxFormatError,
  type IdxType,
  type IdxValues,
} from './images/idx-format';
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
export type { LoadMnistOptions, MnistSource } from './images/load-mnist';
export {
  DIGIT_CLASSES,
  decodeMnist,
  encodeMnist,
  type MnistData,
  MnistFormatError,
} from './images/mnist-format';
export type { MnistBinaryOptions, MnistDigitsOptions, MnistSubsetOptions } from './images/mnist-tasks';
export {
  DatasetNotFoundError,
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_CLASSES,
  type OfficialSetOptions,
} from './images/official-sets';
export { borderMean, invertPlanes, type Planes } from './images/planes';
export type { ByteSource } from './images/read-source';
export { RESIZE_METHODS, type ResizeMethod, resizePlanes } from './images/resize';

// Image data sets (@descent/datasets/images), kept out of the main entry so toy-set users do not
// load the digits. Everything here is plain typed arrays, images in NCHW order.
export { type BarsOptions, bars } from './images/bars';
export {
  type ByteImageDataset,
  DEFAULT_MAX_IDX_BYTES,
  IDX_SPLIT_FILES,
  idxImageDataset,
  loadIdxFolder,
  type ReadIdxOptions,
  readIdx,
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
export {
  DatasetNotFoundError,
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_CLASSES,
  fashionMnist,
  findMnistData,
  mnistOfficial,
  type OfficialSetOptions,
} from './images/official-sets';
export { borderMean, invertPlanes, type Planes } from './images/planes';
export type { ByteSource } from './images/read-source';
export { RESIZE_METHODS, type ResizeMethod, resizePlanes } from './images/resize';

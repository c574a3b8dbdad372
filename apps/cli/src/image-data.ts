import { DatasetNotFoundError, type FloatImageDataset, type ImageSplit } from '@descent/datasets/images';
import {
  fashionMnist,
  ImageFileError,
  ImageTooLargeError,
  loadImageFolder,
  mnistBinary,
  mnistDigits,
  mnistOfficial,
} from '@descent/datasets/node';
import { UsageError } from './usage-error';

/** The built-in image datasets the CLI can train on (`--dataset`). */
export const imageDatasets = ['mnist', 'mnist-10k', 'mnist-binary', 'fashion-mnist'] as const;
/** The name of a built-in image dataset. */
export type ImageDatasetName = (typeof imageDatasets)[number];

/** A folder of class sub-folders of PNG/JPEG files (`--images DIR`). */
export interface ImageFolderRequest {
  dir: string;
  /** [height, width] to resize to; default the images' own (uniform) size. */
  size?: [number, number];
  /** Keep three colour channels instead of grey. */
  rgb?: boolean;
  /** The held-out share, stratified. */
  testSize: number;
  /** The most pixels one image may declare (`--max-pixels`); default DEFAULT_MAX_PIXELS. */
  maxPixels?: number;
}

export interface ImageDataRequest {
  /** A built-in set, or undefined with `images`. */
  dataset?: ImageDatasetName;
  images?: ImageFolderRequest;
  /** A folder with the four IDX files, for mnist and fashion-mnist. */
  dataDir?: string;
  /** Seeds the split of the sets we split ourselves (mnist-10k, mnist-binary). */
  seed: number;
}

export interface LoadedImages extends ImageSplit {
  /** What the test side is, for reports: "the official test set" or how it was held out. */
  testKind: string;
  /** A phrase naming the task, e.g. "10 digits" or "10 clothing classes". */
  task: string;
}

/** The sets that come with their own test split (not split by us). */
const officialSets = new Set<ImageDatasetName>(['mnist', 'fashion-mnist']);

/** Loads an image data set by its CLI name; a missing optional download becomes a usage hint. */
export async function loadImageData(r: ImageDataRequest): Promise<LoadedImages> {
  if (r.images) {
    const { dir, size, rgb, testSize, maxPixels } = r.images;
    const folder = await loadImageFolder(dir, { size, grey: !rgb, testSize, seed: r.seed, maxPixels }).catch(
      (err: unknown) => {
        // The library names its options; on the command line they are flags.
        if (err instanceof ImageTooLargeError) {
          throw new ImageFileError(err.message.replace(/maxPixels/g, '--max-pixels'), err.path);
        }
        if (err instanceof ImageFileError && err.message.includes('pass size: [height, width]')) {
          throw new ImageFileError(
            err.message.replace('pass size: [height, width]', 'pass --size height,width'),
            err.path,
          );
        }
        throw err;
      },
    );
    const k = folder.classes.length;
    const skipped = folder.skipped.length ? `; ${folder.skipped.length} other files skipped` : '';
    return {
      train: folder.train,
      test: folder.test,
      testKind: `held out of ${dir}, stratified, seed ${r.seed}${skipped}`,
      task: `${k} classes (${folder.classes.slice(0, 6).join(', ')}${k > 6 ? ', …' : ''})`,
    };
  }
  if (r.dataset === undefined) throw new UsageError('--dataset: expected an image data set or --images DIR');
  if (r.dataDir !== undefined && !officialSets.has(r.dataset)) {
    throw new UsageError(`--data-dir: only for mnist and fashion-mnist, not --dataset ${r.dataset}`);
  }
  try {
    if (r.dataset === 'mnist') {
      const split = await mnistOfficial({ dir: r.dataDir });
      return { ...split, testKind: 'the official test set', task: '10 digits' };
    }
    if (r.dataset === 'fashion-mnist') {
      const split = await fashionMnist({ dir: r.dataDir });
      return { ...split, testKind: 'the official test set', task: '10 clothing classes' };
    }
  } catch (error) {
    if (error instanceof DatasetNotFoundError) throw new UsageError(hint(r.dataset, error.message));
    throw error;
  }
  const held = `held out of the shipped set, stratified, seed ${r.seed}`;
  if (r.dataset === 'mnist-10k') {
    return { ...(await mnistDigits({ seed: r.seed, testSize: 2000 })), testKind: held, task: '10 digits' };
  }
  const split = await mnistBinary({ seed: r.seed, positive: 3, negative: 8 });
  return { ...split, testKind: held, task: '3 (label 1) vs 8 (label 0)' };
}

function hint(dataset: ImageDatasetName, message: string): string {
  const found = message.replace(/^\w+: /, '').replace('pass `dir`', 'pass --data-dir DIR');
  if (dataset === 'mnist') {
    return `--dataset mnist: ${found}. Or train on --dataset mnist-10k, the 10,000-digit subset that ships with descent`;
  }
  return `--dataset fashion-mnist: ${found}`;
}

/** The first n images; the sets are shuffled or in the file's mixed order, so a quick subset. */
export function firstImages(d: FloatImageDataset, n: number): FloatImageDataset {
  if (n >= d.count) return d;
  const size = d.channels * d.height * d.width;
  return { ...d, count: n, images: d.images.subarray(0, n * size), labels: d.labels.subarray(0, n) };
}

import { availableParallelism } from 'node:os';
import { type ImageDatasetName, type ImageFolderRequest, imageDatasets } from '../image-data';
import { parseMaxPixels } from '../image-input';
import { type ImageModelKind, imageModels } from '../image-model';
import { limits, parseChoice, parseNumber, parseWidths } from '../parse';
import { UsageError } from '../usage-error';

/** The settings of the image training recipe (`descent train` on images). */
export interface ImageTrainOptions {
  /** A built-in set, or undefined when training on `images`. */
  dataset?: ImageDatasetName;
  /** A folder of class sub-folders (`--images DIR`). */
  images?: ImageFolderRequest;
  /** A folder with the IDX files (mnist, fashion-mnist). */
  dataDir?: string;
  model: ImageModelKind;
  /** The CNN's channels per conv block. */
  channels: number[];
  /** The CNN's hidden dense layers between its conv blocks and its output. */
  hidden?: number[];
  /** Batch norm after the CNN's convolutions, dropout before its output (benchmarks try them). */
  batchNorm?: boolean;
  dropout?: number;
  epochs: number;
  batchSize: number;
  /** Adam's peak rate in the one-cycle schedule. */
  lr: number;
  /** Random shifts of up to this many pixels each epoch but the last (0: no augmentation). */
  shift: number;
  seed: number;
  /** Train on the first `limit` training images only (quick runs). */
  limit?: number;
  /** Threads to train on, data-parallel (1: the plain Learner.fit). */
  workers?: number;
  out?: string;
  /** Write the HTML evaluation report (confusion matrix, worst-classified images) here. */
  report?: string;
  quiet: boolean;
}

/**
 * The defaults, chosen by measurement. On the small sets (mnist-10k's 8,000 digits, an image
 * folder) the CNN reaches 98 % on mnist-10k's held-out digits in well under a minute
 * (bench/mnist-minute.mjs).
 */
export const imageTrainDefaults = {
  cnn: {
    epochs: 6,
    batchSize: 32,
    lr: 1e-2,
    shift: 1,
    channels: [8, 16],
    hidden: [] as number[],
    workers: 1,
  },
  mlp: {
    epochs: 5,
    batchSize: 32,
    lr: 2e-3,
    shift: 0,
    channels: [] as number[],
    hidden: [] as number[],
    workers: 1,
  },
} as const;

/**
 * The official sets' 60,000 training images: a wider CNN, fewer passes, and batch 64 split across
 * two threads (fitParallel gains 1.25× on this CNN at batch 64 here: bench/throughput/
 * data-parallel.mjs --models official-cnn). On MNIST the CNNs of [8, 16] to [8, 32, 64] channels
 * stopped at 99.1-99.3 % on the test set whatever the epochs. [16, 32] for 4 epochs reached
 * 99.18-99.31 % (seeds 1-6: two of them under 99.2 %), for 5 epochs 99.20-99.35 % (mean 99.27 %
 * against 99.24 %), in 19-33 s of training on a 2-core VM whose speed drifts: MNIST takes 5.
 * Fashion-MNIST gains from a dense layer before the output (91.0 % without, 91.5 % with 128
 * units, at 4 epochs). Measured with bench/mnist-official.mjs (and its run-descent.mjs with
 * --epochs and --seed); figures in bench/RESULTS.md.
 */
const officialCnn = { ...imageTrainDefaults.cnn, epochs: 4, batchSize: 64, channels: [16, 32], workers: 2 };
/** The training defaults for the full MNIST and Fashion-MNIST sets, per model kind. */
export const officialSetDefaults = {
  mnist: { cnn: { ...officialCnn, epochs: 5 }, mlp: imageTrainDefaults.mlp },
  'fashion-mnist': { cnn: { ...officialCnn, hidden: [64] }, mlp: imageTrainDefaults.mlp },
} as const;

/** `--dataset NAME`, or `--images DIR` with its `--size`, `--rgb` and `--test-size`. */
function imageSource(raw: Record<string, unknown>): Pick<ImageTrainOptions, 'dataset' | 'images'> {
  if (raw.images === undefined) {
    for (const flag of ['size', 'rgb', 'maxPixels'] as const) {
      if (raw[flag] !== undefined) {
        const name = flag === 'maxPixels' ? 'max-pixels' : flag;
        throw new UsageError(`--${name}: only with --images DIR`);
      }
    }
    return { dataset: parseChoice('--dataset', String(raw.dataset), imageDatasets) };
  }
  if (raw.dataset !== undefined)
    throw new UsageError('--images and --dataset: expected one of them, found both');
  const size = raw.size === undefined ? undefined : parseWidths('--size', String(raw.size), limits.imageSide);
  if (size && size.length !== 2) throw new UsageError(`--size: expected height,width, found "${raw.size}"`);
  const testSize = parseNumber('--test-size', String(raw.testSize ?? '0.2'), { positive: true });
  if (testSize >= 1)
    throw new UsageError(`--test-size: expected a fraction between 0 and 1, found "${raw.testSize}"`);
  return {
    images: {
      dir: String(raw.images),
      size: size as [number, number] | undefined,
      rgb: Boolean(raw.rgb),
      testSize,
      ...(raw.maxPixels !== undefined && { maxPixels: parseMaxPixels(String(raw.maxPixels)) }),
    },
  };
}

/**
 * `descent train --dataset mnist ...`'s flags as options; flags left out take the defaults of the
 * chosen model (imageTrainDefaults). Flags of the tabular and toy paths are refused.
 */
export function imageTrainOptions(raw: Record<string, unknown>): ImageTrainOptions {
  for (const flag of ['csv', 'target', 'activation', 'loss', 'optimizer', 'categorical']) {
    if (raw[flag] !== undefined) {
      throw new UsageError(`--${flag}: not used with image data sets (the model is set by --model cnn|mlp)`);
    }
  }
  const model = parseChoice('--model', String(raw.model ?? 'cnn'), imageModels);
  const source = imageSource(raw);
  const official = source.dataset === 'mnist' || source.dataset === 'fashion-mnist';
  const d = (official ? officialSetDefaults[source.dataset as 'mnist'] : imageTrainDefaults)[model];
  const text = (v: unknown, fallback: number) => (v === undefined ? String(fallback) : String(v));
  for (const flag of ['channels', 'hidden'] as const) {
    if (raw[flag] !== undefined && model !== 'cnn') throw new UsageError(`--${flag}: only for --model cnn`);
  }
  return {
    ...source,
    dataDir: raw.dataDir as string | undefined,
    model,
    channels:
      raw.channels === undefined
        ? [...d.channels]
        : parseWidths('--channels', String(raw.channels), limits.channels),
    hidden: raw.hidden === undefined ? [...d.hidden] : parseWidths('--hidden', String(raw.hidden)),
    epochs: parseNumber('--epochs', text(raw.epochs, d.epochs), {
      integer: true,
      positive: true,
      max: limits.epochs,
    }),
    batchSize: parseNumber('--batch-size', text(raw.batchSize, d.batchSize), {
      integer: true,
      positive: true,
      max: limits.batchSize,
    }),
    lr: parseNumber('--lr', text(raw.lr, d.lr), { positive: true }),
    shift: parseNumber('--shift', text(raw.shift, d.shift), { integer: true, min: 0 }),
    seed: parseNumber('--seed', text(raw.seed, 1), { integer: true, min: 0, max: limits.seed }),
    limit:
      raw.limit === undefined
        ? undefined
        : parseNumber('--limit', String(raw.limit), { integer: true, positive: true }),
    workers: parseNumber('--workers', text(raw.workers, Math.min(d.workers, availableParallelism())), {
      integer: true,
      positive: true,
      max: limits.workers,
    }),
    out: raw.out as string | undefined,
    report: raw.report as string | undefined,
    quiet: Boolean(raw.quiet),
  };
}

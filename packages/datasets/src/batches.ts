import { Generator, mixSeed } from '@descent/random';
import { checkDataset, type Dataset } from './dataset';
import { gather, gatherRows, type Matrix } from './matrix';
import { checkBoolean, checkInt, checkOptions, checkSeed } from './validate';

/** Options for splitting a dataset into mini-batches: shuffling, its seed and dropping a short last batch. */
export interface BatchOptions {
  /** Visit rows in seeded random order. Default true. */
  shuffle?: boolean;
  /** Default 0. */
  seed?: number;
  /** Leave out a last batch smaller than batchSize. Default false. */
  dropLast?: boolean;
}

/** Index batches that can be iterated any number of times, always in the same order. */
export interface IndexBatches extends Iterable<Int32Array> {
  /** How many batches one pass yields. */
  readonly length: number;
}

/** ceil(n / batchSize), or floor with dropLast: the number of batches in one pass. */
export function numBatches(n: number, batchSize: number, dropLast = false): number {
  checkInt('n', n, 0);
  checkInt('batchSize', batchSize, 1);
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/**
 * Row-index batches over 0..n-1, like a PyTorch DataLoader's sampler: each pass visits every
 * index once (except those dropped with dropLast), in seeded random order when shuffling. The
 * toolkit gathers batches on the host with these, because slicing a big tensor on WASM copies it.
 */
export function batches(n: number, batchSize: number, options: BatchOptions = {}): IndexBatches {
  const length = numBatches(n, batchSize, options?.dropLast === true);
  checkOptions('options', options, '{ shuffle: true, seed: 0, dropLast: false }');
  const shuffle = checkBoolean('shuffle', options.shuffle ?? true);
  const seed = checkSeed('seed', options.seed ?? 0);
  checkBoolean('dropLast', options.dropLast ?? false);
  return {
    length,
    *[Symbol.iterator]() {
      const order = shuffle
        ? new Generator(seed).permutation(n)
        : Int32Array.from({ length: n }, (_, i) => i);
      for (let b = 0; b < length; b++) {
        yield order.slice(b * batchSize, Math.min(n, (b + 1) * batchSize));
      }
    },
  };
}

/** One mini-batch: feature rows `X`, targets `y` and the dataset rows they came from. */
export interface Batch {
  X: Matrix;
  y: Float32Array;
  /** The dataset rows this batch holds, in batch order. */
  indices: Int32Array;
}

/** Batch options for one epoch of training; the shuffle depends on the epoch. */
export interface EpochBatchOptions extends BatchOptions {
  /** Epoch number; the shuffle is derived from (seed, epoch), so each epoch differs reproducibly. */
  epoch?: number;
}

/** One epoch of ready-made batches: rows and targets gathered on the host into fresh arrays. */
export function epochBatches(
  dataset: Dataset,
  batchSize: number,
  options: EpochBatchOptions = {},
): Iterable<Batch> & { readonly length: number } {
  const d = checkDataset('dataset', dataset);
  checkOptions('options', options, '{ seed: 0, epoch: 0 }');
  const seed = checkSeed('seed', options.seed ?? 0);
  const epoch = checkInt('epoch', options.epoch ?? 0, 0);
  const indexBatches = batches(d.X.rows, batchSize, {
    shuffle: options.shuffle,
    dropLast: options.dropLast,
    seed: mixSeed(seed, epoch),
  });
  return {
    length: indexBatches.length,
    *[Symbol.iterator]() {
      for (const indices of indexBatches) {
        yield { X: gatherRows(d.X, indices), y: gather(d.y, indices), indices };
      }
    },
  };
}

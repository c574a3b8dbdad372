import { argumentError } from '../errors';
import { splitIndices } from '../split';
import { checkBoolean, checkInt, checkOptions, checkSeed } from '../validate';
import type { ByteIo } from './byte-io';
import { gatherImages, type ImageSplit } from './image-dataset';
import { loadMnistWith, type MnistSource } from './load-mnist';

interface TaskOptions {
  /** Seeds the split (and the perClass draw). Default 0. */
  seed?: number;
  /**
   * A fraction in (0, 1), or a count of test images (an integer >= 1), turned into the fraction
   * count / n: the split is stratified and rounds per digit, so the test side may differ from
   * the count by a few images.
   */
  testSize?: number;
  /** Pixels / 255, in [0, 1]. With false the float pixels keep the bytes' 0..255. Default true. */
  normalise?: boolean;
  /** Where to read the digits; default the shipped file (see loadMnist). */
  source?: MnistSource;
}

/** Options of the ten-digit MNIST task: the test share, scaling and source. */
export interface MnistDigitsOptions extends TaskOptions {}

/** Options of the two-digit MNIST task: which digit is class 1 and which is class 0. */
export interface MnistBinaryOptions extends TaskOptions {
  /** The digit labelled 1. Default 3. */
  positive?: number;
  /** The digit labelled 0. Default 8. */
  negative?: number;
}

/** Options of an MNIST task on some of the digits, relabelled 0..k-1. */
export interface MnistSubsetOptions extends TaskOptions {
  /** Distinct digits 0..9; digit digits[k] gets label k. */
  digits: number[];
  /** Keep only this many training images of each digit (a seeded draw); the test side is kept whole. */
  perClass?: number;
}

function testFraction(value: unknown, n: number): number {
  if (typeof value === 'number' && value > 0 && value < 1) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value < n) return value / n;
  throw argumentError('testSize', `a fraction in (0, 1) or a count in 1..${n - 1}`, value);
}

function checkDigit(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 9) {
    throw argumentError(name, 'a digit, an integer in 0..9', value);
  }
  return value;
}

/**
 * The shared recipe: keep the images of `digits`, relabel digits[k] as k, split stratified by
 * class, optionally thin the training side to `perClass` per class, and convert to floats.
 */
async function digitTask(
  io: ByteIo,
  digits: number[],
  options: TaskOptions,
  defaultTestSize: number,
  perClass?: number,
): Promise<ImageSplit> {
  const seed = checkSeed('seed', options.seed ?? 0);
  const normalise = checkBoolean('normalise', options.normalise ?? true);
  const data = await loadMnistWith(io, { source: options.source });
  const relabel = new Int32Array(10).fill(-1);
  digits.forEach((d, k) => {
    relabel[d] = k;
  });
  const chosen: number[] = [];
  const classOf: number[] = [];
  for (let i = 0; i < data.count; i++) {
    const k = relabel[data.labels[i]];
    if (k >= 0) {
      chosen.push(i);
      classOf.push(k);
    }
  }
  const split = splitIndices(chosen.length, {
    testSize: testFraction(options.testSize ?? defaultTestSize, chosen.length),
    seed,
    stratifyBy: classOf,
  });
  let train = Array.from(split.train, (j) => chosen[j]);
  if (perClass !== undefined) {
    // splitIndices already shuffled the training side, so its first perClass of each class are
    // a seeded random draw; the test side stays the same for every perClass.
    const taken = new Array(digits.length).fill(0);
    train = train.filter((i) => {
      const k = relabel[data.labels[i]];
      if (taken[k] >= perClass) return false;
      taken[k]++;
      return true;
    });
    const short = taken.findIndex((t) => t < perClass);
    if (short >= 0) {
      throw argumentError(
        'perClass',
        `at most ${taken[short]} (the training images of digit ${digits[short]})`,
        perClass,
      );
    }
  }
  const test = Array.from(split.test, (j) => chosen[j]);
  const convert = { scale: normalise ? 1 / 255 : 1, relabel, classes: digits.map(String) };
  return { train: gatherImages(data, train, convert), test: gatherImages(data, test, convert) };
}

/** The 10-class MNIST task: labels are the digits themselves. Default testSize 2000. */
export function mnistDigitsWith(io: ByteIo, options: MnistDigitsOptions = {}): Promise<ImageSplit> {
  return Promise.resolve().then(() => {
    checkOptions('options', options, '{ seed: 0, testSize: 2000, normalise: true }');
    return digitTask(io, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], options, 2000);
  });
}

/**
 * Two digits as a binary task: `positive` (default 3) is label 1, `negative` (default 8) label 0,
 * so `classes` is [String(negative), String(positive)]. Default testSize 0.2.
 */
export function mnistBinaryWith(io: ByteIo, options: MnistBinaryOptions = {}): Promise<ImageSplit> {
  return Promise.resolve().then(() => {
    checkOptions('options', options, '{ positive: 3, negative: 8, seed: 0 }');
    const positive = checkDigit('positive', options.positive ?? 3);
    const negative = checkDigit('negative', options.negative ?? 8);
    if (positive === negative) {
      throw argumentError('negative', `a digit other than positive (${positive})`, negative);
    }
    return digitTask(io, [negative, positive], options, 0.2);
  });
}

/**
 * The images of some digits only, relabelled 0..k-1 in the order given, e.g. digits 0-4 to
 * pretrain and a few labelled 5-9 (`perClass`) to fine-tune. Default testSize 0.2.
 */
export function mnistSubsetWith(io: ByteIo, options: MnistSubsetOptions): Promise<ImageSplit> {
  return Promise.resolve().then(() => {
    checkOptions('options', options, '{ digits: [5, 6, 7, 8, 9], perClass: 10, seed: 0 }');
    const digits = options?.digits;
    if (!Array.isArray(digits) || digits.length < 2) {
      throw argumentError('digits', 'an array of at least 2 distinct digits', digits);
    }
    for (let i = 0; i < digits.length; i++) checkDigit(`digits[${i}]`, digits[i]);
    if (new Set(digits).size !== digits.length) {
      throw argumentError('digits', 'distinct digits', digits);
    }
    const perClass = options.perClass === undefined ? undefined : checkInt('perClass', options.perClass, 1);
    return digitTask(io, [...digits], options, 0.2, perClass);
  });
}

import { Generator } from '@descent/random';
import { checkDataset, type Dataset, subset } from './dataset';
import { argumentError, shown } from './errors';
import { checkBoolean, checkInt, checkOptions, checkSeed } from './validate';

/** Options for splitting row indices into train and test sides: test share, seed and optional stratification labels. */
export interface SplitIndicesOptions {
  /** Fraction of samples that go to the test side, in (0, 1). Default 0.2. */
  testSize?: number;
  /** Default 0. */
  seed?: number;
  /** One label per sample; when given, each label keeps its proportion on both sides. */
  stratifyBy?: ArrayLike<number>;
}

/** Row indices of a train and a test side. */
export interface IndexSplit {
  train: Int32Array;
  test: Int32Array;
}

function checkTestSize(value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw argumentError('testSize', 'a fraction in (0, 1)', value);
  }
  return value;
}

/** Per-label test counts: round(count * testSize), at least 1 and at most count - 1 (0 for singletons). */
function stratifiedCount(count: number, testSize: number): number {
  if (count < 2) return 0;
  return Math.min(count - 1, Math.max(1, Math.round(count * testSize)));
}

/**
 * Splits 0..n-1 into disjoint train and test index sets that together cover every index, both
 * in seeded random order. Without `stratifyBy` the test side gets round(n * testSize) indices
 * (at least 1, at most n - 1). With it, each distinct label puts round(count * testSize) of its
 * samples into test, at least 1 and at most count - 1, so both sides see every label that has
 * two or more samples; a label with a single sample goes to train.
 */
export function splitIndices(n: number, options: SplitIndicesOptions = {}): IndexSplit {
  checkInt('n', n, 2);
  checkOptions('options', options, '{ testSize: 0.2, seed: 0 }');
  const testSize = checkTestSize(options.testSize ?? 0.2);
  const rng = new Generator(checkSeed('seed', options.seed ?? 0));
  const labels = options.stratifyBy;
  if (labels === undefined) {
    const perm = rng.permutation(n);
    const nTest = Math.min(n - 1, Math.max(1, Math.round(n * testSize)));
    return { train: perm.slice(nTest), test: perm.slice(0, nTest) };
  }
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels)) {
    throw argumentError('stratifyBy', 'an array or typed array of labels', labels);
  }
  if (labels.length !== n) {
    throw argumentError('stratifyBy', `length ${n} (one label per sample)`, shown(`length ${labels.length}`));
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (typeof label !== 'number' || !Number.isFinite(label)) {
      throw argumentError(`stratifyBy[${i}]`, 'a finite number', label);
    }
    const group = groups.get(label);
    if (group) group.push(i);
    else groups.set(label, [i]);
  }
  const train: number[] = [];
  const test: number[] = [];
  // Sorted labels make the split independent of which label happens to come first.
  for (const label of [...groups.keys()].sort((a, b) => a - b)) {
    const members = rng.shuffle(groups.get(label)!);
    const t = stratifiedCount(members.length, testSize);
    for (let i = 0; i < members.length; i++) (i < t ? test : train).push(members[i]);
  }
  if (test.length === 0) {
    throw argumentError(
      'stratifyBy',
      'at least one label with 2 or more samples',
      shown(`${groups.size} singletons`),
    );
  }
  return { train: rng.shuffle(Int32Array.from(train)), test: rng.shuffle(Int32Array.from(test)) };
}

/** Options for splitting a dataset into train and test sets: test share, seed and stratification by class. */
export interface TrainTestSplitOptions {
  /** Fraction of rows in the test set, in (0, 1). Default 0.2. */
  testSize?: number;
  /** Default 0. */
  seed?: number;
  /** Keep class proportions. Default true for 'binary' and 'multiclass', false for 'regression'. */
  stratify?: boolean;
}

/** Like scikit-learn's train_test_split, for a Dataset; built on `splitIndices`. */
export function trainTestSplit(
  dataset: Dataset,
  options: TrainTestSplitOptions = {},
): { train: Dataset; test: Dataset } {
  const d = checkDataset('dataset', dataset);
  checkOptions('options', options, '{ testSize: 0.2, seed: 0 }');
  const stratify = checkBoolean('stratify', options.stratify ?? d.task !== 'regression');
  if (stratify && d.task === 'regression') {
    throw argumentError('stratify', "false for a 'regression' dataset (it has no classes)", true);
  }
  const { train, test } = splitIndices(d.X.rows, {
    testSize: options.testSize,
    seed: options.seed,
    stratifyBy: stratify ? d.y : undefined,
  });
  return { train: subset(d, train), test: subset(d, test) };
}

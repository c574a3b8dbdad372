import { blobs } from './blobs';
import { circles } from './circles';
import type { Dataset } from './dataset';
import { argumentError } from './errors';
import { moons } from './moons';
import { spiral } from './spiral';
import { trainTestSplit } from './split';
import { xor } from './xor';

/** The toy sets that can be picked by name (`descent train --dataset moons`). */
export const toyDatasetNames = ['dosage', 'moons', 'circles', 'spiral', 'xor', 'blobs'] as const;
/** The name of a toy dataset. */
export type ToyDatasetName = (typeof toyDatasetNames)[number];

/** The course's three patients, by dosage, in the order of `dosage()`'s rows. */
export const dosagePatients: readonly string[] = ['low', 'medium', 'high'];

/**
 * The course's three patients: a low (0), medium (0.5) and high (1) dosage, of which only the
 * medium one works. No straight line fits them, which is why the course needs a hidden layer.
 * The task is regression, fitted with mse as the course does; the efficacies are 0 or 1, so they
 * are also probabilities and bce fits them too (a loss's needs are checked on the targets). Three
 * rows are written out here; the other toy sets are generators in files of their own.
 */
export function dosage(): Dataset {
  return {
    X: { data: Float32Array.of(0, 0.5, 1), rows: 3, cols: 1 },
    y: Float32Array.of(0, 1, 0),
    featureNames: ['dosage'],
    targetName: 'efficacy',
    task: 'regression',
  };
}

/** A toy set ready to train on: its training rows, and its held-out rows if it has any. */
export interface ToySplit {
  train: Dataset;
  test?: Dataset;
  /** Names of the rows of a set small enough to show whole, and what a row is (the dosage patients). */
  rowNames?: RowNames;
}

/** Names for the rows of a small toy set, and what one row is. */
export interface RowNames {
  /** What one row is, e.g. 'patient'. */
  title: string;
  names: readonly string[];
}

interface ToyEntry {
  make(seed: number): Dataset;
  /** The held-out share; 0 keeps every row for training. */
  testSize: number;
  rowNames?: RowNames;
}

const entries: Record<ToyDatasetName, ToyEntry> = {
  // The three patients are the whole point of the course's example, so they are never split.
  dosage: { make: () => dosage(), testSize: 0, rowNames: { title: 'patient', names: dosagePatients } },
  moons: { make: (seed) => moons({ seed }), testSize: 0.2 },
  circles: { make: (seed) => circles({ seed }), testSize: 0.2 },
  spiral: { make: (seed) => spiral({ seed }), testSize: 0.2 },
  xor: { make: (seed) => xor({ seed }), testSize: 0.2 },
  blobs: { make: (seed) => blobs({ seed }), testSize: 0.2 },
};

/** The toy set called `name`, made and split (stratified where it has classes) by `seed`. */
export function loadToyDataset(name: ToyDatasetName, seed: number): ToySplit {
  const entry = entries[name];
  if (!toyDatasetNames.includes(name) || !entry) {
    throw argumentError('name', `one of ${toyDatasetNames.join(', ')}`, name);
  }
  const data = entry.make(seed);
  if (entry.testSize === 0) return { train: data, rowNames: entry.rowNames };
  return trainTestSplit(data, { testSize: entry.testSize, seed });
}
